import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackupProgress } from './backup';
import { type LocalStore, openLocalStore } from './local-store';
import { appendOutboxGroup, makeTempDir } from './test-support';

let temp: ReturnType<typeof makeTempDir>;
let store: LocalStore;
beforeEach(async () => {
  temp = makeTempDir();
  store = await openLocalStore({ file: join(temp.dir, 'clinic.sqlite') });
});
afterEach(async () => {
  await store.close();
  temp.cleanup();
});

async function outboxOf(s: LocalStore) {
  return s.db.selectFrom('outbox').selectAll().orderBy('seq').execute();
}

describe('store.backup', () => {
  it('writes a database that opens and holds the same rows, reporting progress step by step', async () => {
    for (let n = 1; n <= 60; n++) await appendOutboxGroup(store, [{ n, note: 'x'.repeat(3000) }]);
    await store.db.insertInto('meta').values({ key: 'device_id', value: 'dev-7' }).execute();
    const target = join(temp.dir, 'clinic-backup.sqlite');

    const steps: BackupProgress[] = [];
    const result = await store.backup(target, { pagesPerStep: 10, onProgress: (step) => steps.push(step) });

    expect(result.remainingPages).toBe(0);
    expect(result.totalPages).toBeGreaterThan(30);
    expect(steps.length).toBeGreaterThan(2);
    expect(steps.map((step) => step.remainingPages)).toEqual(
      [...steps.map((step) => step.remainingPages)].sort((a, b) => b - a),
    );

    const copy = await openLocalStore({ file: target });
    expect(await outboxOf(copy)).toEqual(await outboxOf(store));
    expect(await copy.db.selectFrom('meta').selectAll().execute()).toEqual([
      { key: 'device_id', value: 'dev-7' },
    ]);
    await copy.close();
  });

  it('leaves a single self-contained file with no partial copy beside it', async () => {
    await appendOutboxGroup(store, [{ n: 1 }]);
    const target = join(temp.dir, 'clinic-backup.sqlite');
    await store.backup(target);

    expect(readdirSync(temp.dir).filter((name) => name.startsWith('clinic-backup'))).toEqual([
      'clinic-backup.sqlite',
    ]);
    const raw = new Database(target, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(raw.prepare('select count(*) from outbox').pluck().get()).toBe(1);
    raw.close();
  });

  it('replaces an older backup with the current state', async () => {
    const target = join(temp.dir, 'clinic-backup.sqlite');
    await appendOutboxGroup(store, [{ n: 1 }]);
    await store.backup(target);
    await appendOutboxGroup(store, [{ n: 2 }]);
    await store.backup(target);

    const copy = await openLocalStore({ file: target });
    expect((await outboxOf(copy)).map((row) => row.seq)).toEqual([1, 2]);
    await copy.close();
    expect(existsSync(`${target}.partial`)).toBe(false);
  });
});
