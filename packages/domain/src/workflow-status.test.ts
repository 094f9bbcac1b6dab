import { describe, expect, it } from 'vitest';
import {
  AdmissionStatus,
  AppointmentStatus,
  admissionTransitions,
  appointmentTransitions,
  canTransition,
  FollowUpStatus,
  followUpTransitions,
  isTerminalStatus,
  LabOrderStatus,
  labOrderTransitions,
  nextStatuses,
  VisitStatus,
  visitTransitionPatch,
  visitTransitions,
} from './workflow-status';

describe('visit status machine', () => {
  it('follows the queue: waiting → with doctor → lab → with doctor → done', () => {
    const path = ['waiting', 'with_doctor', 'in_lab', 'with_doctor', 'done'] as const;
    for (let i = 1; i < path.length; i++) {
      expect(canTransition(visitTransitions, path[i - 1] ?? 'waiting', path[i] ?? 'waiting')).toBe(true);
    }
  });

  it('cancels from any open status and marks no-shows only while waiting', () => {
    for (const from of ['waiting', 'with_doctor', 'in_lab'] as const) {
      expect(canTransition(visitTransitions, from, 'cancelled')).toBe(true);
    }
    expect(canTransition(visitTransitions, 'waiting', 'no_show')).toBe(true);
    expect(canTransition(visitTransitions, 'with_doctor', 'no_show')).toBe(false);
  });

  it('refuses skipping the doctor, reopening and staying put', () => {
    expect(canTransition(visitTransitions, 'waiting', 'done')).toBe(false);
    expect(canTransition(visitTransitions, 'waiting', 'in_lab')).toBe(false);
    expect(canTransition(visitTransitions, 'done', 'waiting')).toBe(false);
    expect(canTransition(visitTransitions, 'cancelled', 'waiting')).toBe(false);
    expect(canTransition(visitTransitions, 'waiting', 'waiting')).toBe(false);
  });

  it('lists next statuses and terminal ones', () => {
    expect(nextStatuses(visitTransitions, 'waiting')).toEqual(['with_doctor', 'cancelled', 'no_show']);
    expect(VisitStatus.options.filter((s) => isTerminalStatus(visitTransitions, s))).toEqual([
      'done',
      'cancelled',
      'no_show',
    ]);
  });

  it('stamps the first start and the completion once', () => {
    const t1 = new Date('2026-11-28T05:00:00.000Z');
    const t2 = new Date('2026-11-28T05:20:00.000Z');
    const waiting = { status: 'waiting' as const, startedAt: null, completedAt: null };
    const started = visitTransitionPatch(waiting, 'with_doctor', t1);
    expect(started).toEqual({ status: 'with_doctor', startedAt: t1.toISOString(), completedAt: null });
    const lab = started && visitTransitionPatch(started, 'in_lab', t2);
    const back = lab && visitTransitionPatch(lab, 'with_doctor', t2);
    expect(back?.startedAt).toBe(t1.toISOString());
    const done = back && visitTransitionPatch(back, 'done', t2);
    expect(done).toEqual({ status: 'done', startedAt: t1.toISOString(), completedAt: t2.toISOString() });
    expect(visitTransitionPatch(waiting, 'cancelled', t2)?.completedAt).toBe(t2.toISOString());
  });

  it('returns null for a move the machine refuses', () => {
    expect(
      visitTransitionPatch({ status: 'done', startedAt: null, completedAt: null }, 'waiting', new Date()),
    ).toBeNull();
  });
});

describe('other status machines', () => {
  it('lets appointments arrive, cancel or no-show, and a late no-show arrive', () => {
    expect(nextStatuses(appointmentTransitions, 'booked')).toEqual(['arrived', 'cancelled', 'no_show']);
    expect(canTransition(appointmentTransitions, 'no_show', 'arrived')).toBe(true);
    expect(canTransition(appointmentTransitions, 'cancelled', 'booked')).toBe(false);
    expect(canTransition(appointmentTransitions, 'arrived', 'cancelled')).toBe(false);
  });

  it('moves lab orders forward only, cancellable until resulted', () => {
    expect(canTransition(labOrderTransitions, 'ordered', 'sample_collected')).toBe(true);
    expect(canTransition(labOrderTransitions, 'in_progress', 'resulted')).toBe(true);
    expect(canTransition(labOrderTransitions, 'resulted', 'cancelled')).toBe(false);
    expect(canTransition(labOrderTransitions, 'in_progress', 'ordered')).toBe(false);
  });

  it('ends admissions in discharged, shifted or deceased', () => {
    expect(AdmissionStatus.options.filter((s) => isTerminalStatus(admissionTransitions, s))).toEqual([
      'discharged',
      'shifted',
      'deceased',
    ]);
    expect(canTransition(admissionTransitions, 'discharged', 'admitted')).toBe(false);
  });

  it('lets a missed follow-up still be done', () => {
    expect(canTransition(followUpTransitions, 'missed', 'done')).toBe(true);
    expect(canTransition(followUpTransitions, 'done', 'pending')).toBe(false);
  });

  it('only ever points at known statuses', () => {
    const machines = [
      [visitTransitions, VisitStatus.options],
      [appointmentTransitions, AppointmentStatus.options],
      [labOrderTransitions, LabOrderStatus.options],
      [admissionTransitions, AdmissionStatus.options],
      [followUpTransitions, FollowUpStatus.options],
    ] as const;
    for (const [machine, statuses] of machines) {
      expect(Object.keys(machine).sort()).toEqual([...statuses].sort());
      for (const targets of Object.values(machine) as readonly string[][]) {
        for (const target of targets) expect(statuses as readonly string[]).toContain(target);
      }
    }
  });
});
