import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalStore } from './local-store';

// Helpers shared by this package's tests; not part of the public API.

/** Creates a fresh temporary directory and a function that removes it. */
export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'clinicdesk-local-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Appends one outbox group the way a local write will: next seq and the entry, in one transaction. */
export async function appendOutboxGroup(store: LocalStore, ops: unknown[]): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    const { last_seq } = await trx
      .updateTable('sync_state')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('outbox')
      .values({
        group_id: randomUUID(),
        seq: last_seq,
        created_at: store.now().toISOString(),
        ops: JSON.stringify(ops),
      })
      .execute();
    return last_seq;
  });
}
