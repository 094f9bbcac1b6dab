import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStore, openLocalStore } from '@clinicdesk/local-store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyFixes, pendingView, refusedView, resubmit } from './sync-centre.service';

const CLINIC = '0193a1b2-0000-7000-8000-00000000c001';
const USER = '0193a1b2-0000-7000-8000-00000000a001';
let dir: string;
let store: LocalStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cd-centre-'));
  store = await openLocalStore({ file: join(dir, 'store.sqlite') });
  store.setIdentity({ deviceId: '0193a1b2-0000-7000-8000-00000000d001', clinicId: CLINIC });
  store.setClinicProfile({ id: CLINIC, code: 'SANT', name: 'Santkrupa Clinic' });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function registerAsha() {
  return store.write({ userId: USER }, (w) => {
    const id = w.newId();
    return w.create('patient', {
      id,
      patientCode: w.nextPatientCode(2026, id).code,
      firstName: 'Asha',
      lastName: 'Pawar',
      sex: 'female',
      ageYears: 34,
      registeredBy: USER,
    });
  });
}

describe('sync centre', () => {
  it('lists waiting groups with a readable label for each record', () => {
    const { value: patient } = registerAsha();
    const [group] = pendingView(store);
    expect(group?.ops).toEqual([
      expect.objectContaining({
        op: 'create',
        entity: 'patient',
        label: `Asha Pawar (${patient.patientCode})`,
      }),
    ]);
  });

  it('shows a refusal with its reason and full record, and resubmits it with the user’s fix', () => {
    const { group } = registerAsha();
    if (group === null) throw new Error('no group');
    store.recordPushResults([
      {
        mutationId: group.mutationId,
        seq: group.seq,
        status: 'refused',
        code: 'CAPACITY_EXCEEDED',
        message: 'Patient limit reached (500 of 500)',
      },
    ]);
    expect(pendingView(store)).toEqual([]);
    const [refused] = refusedView(store);
    expect(refused).toMatchObject({
      code: 'CAPACITY_EXCEEDED',
      message: 'Patient limit reached (500 of 500)',
    });
    expect(refused?.ops[0]?.fields).toMatchObject({ firstName: 'Asha', ageYears: 34 });

    resubmit(store, USER, group.mutationId, [{ opIndex: 0, fields: { firstName: 'Aasha' } }]);
    expect(refusedView(store)).toEqual([]);
    const [again] = pendingView(store);
    expect(again?.ops[0]?.fields).toMatchObject({ firstName: 'Aasha', lastName: 'Pawar' });
    expect(again?.mutationId).not.toBe(group.mutationId);
  });

  it('refuses fixes to fields an update does not change, and to missing operations', () => {
    const ops = [
      {
        op: 'update' as const,
        entity: 'patient',
        id: USER,
        changed: { phone: '+919800000001' },
        before: { phone: null },
      },
    ];
    expect(applyFixes(ops, [{ opIndex: 0, fields: { phone: '+919800000002' } }])[0]).toMatchObject({
      changed: { phone: '+919800000002' },
      before: { phone: null },
    });
    expect(() => applyFixes(ops, [{ opIndex: 0, fields: { firstName: 'X' } }])).toThrow(/Not changed/);
    expect(() => applyFixes(ops, [{ opIndex: 3, fields: {} }])).toThrow(/No operation/);
  });
});
