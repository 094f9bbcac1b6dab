import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../lib/passwords';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { main } from './create-super-admin';

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

function run(args: string[], stdin: string) {
  const lines: string[] = [];
  const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
  return main(args, Readable.from([stdin]), tdb.db, out).then((code) => ({ code, output: lines.join('\n') }));
}

describe('create-super-admin', () => {
  it('creates a super admin from a password on standard input, stored as argon2id and audited', async () => {
    const res = await run(['--username', 'ops.asha', '--password-stdin'], 'Sahyadri@Trek2026\n');
    expect(res).toMatchObject({ code: 0 });
    expect(res.output).toContain('ops.asha');
    expect(res.output).not.toContain('Sahyadri@Trek2026');
    const row = await tdb.db.owner
      .selectFrom('platform_admins')
      .select(['id', 'password_hash'])
      .where('username', '=', 'ops.asha')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.password_hash, 'Sahyadri@Trek2026')).toBe(true);
    const event = await tdb.db.owner
      .selectFrom('platform_audit_events')
      .select(['action', 'actor_type'])
      .where('entity_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ action: 'platform_admin.created', actor_type: 'system' });
  });

  it('refuses an existing username with a clear message and exit code 1, changing nothing', async () => {
    const res = await run(['--username=ops.asha', '--password-stdin'], 'Another@Passphrase9');
    expect(res.code).toBe(1);
    expect(res.output).toMatch(/already exists/);
    const rows = await tdb.db.owner
      .selectFrom('platform_admins')
      .select('id')
      .where('username', '=', 'ops.asha')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses weak passwords and passwords on the command line', async () => {
    expect(await run(['--username', 'ops.ravi', '--password-stdin'], 'password123\n')).toMatchObject({
      code: 1,
    });
    expect(await run(['--username', 'ops.ravi', '--password-stdin'], 'short\n')).toMatchObject({ code: 1 });
    expect(await run(['--username', 'ops.ravi', '--password-stdin'], 'ops.ravi-is-me-2026\n')).toMatchObject({
      code: 1,
    });
    const onCommandLine = await run(['--username', 'ops.ravi', '--password', 'Sahyadri@Trek2026'], '');
    expect(onCommandLine.code).toBe(2);
    expect(onCommandLine.output).toMatch(/--password-stdin/);
    expect((await run(['--password-stdin'], 'Sahyadri@Trek2026')).code).toBe(2);
    const rows = await tdb.db.owner
      .selectFrom('platform_admins')
      .select('id')
      .where('username', '=', 'ops.ravi')
      .execute();
    expect(rows).toHaveLength(0);
  });
});
