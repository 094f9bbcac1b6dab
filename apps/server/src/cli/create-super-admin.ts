import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Username } from '@clinicdesk/domain';
import type { Kysely } from 'kysely';
import { loadConfig } from '../config';
import { type Database, openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import type { DB } from '../db/tables';
import { AppError } from '../lib/app-error';
import { hashPassword, passwordProblem } from '../lib/passwords';
import { recordPlatformEvent } from '../modules/audit/audit.repository';

/**
 * `npm run create-super-admin -- --username U --password-stdin [--display-name "Name"]`
 *
 * Creates a platform super admin. The password is read from standard input (never from the command
 * line, where it would land in shell history and the process list), must pass `passwordProblem`,
 * and is stored as argon2id. An existing username is refused (exit 1) and nothing changes, so the
 * command can be re-run safely. The creation is recorded in the platform audit chain.
 */
const USAGE =
  'Usage: npm run create-super-admin -- --username <name> --password-stdin [--display-name "<name>"]';

/** Creates a super admin through the owner connection; CONFLICT if the username exists, VALIDATION_FAILED if weak. */
export async function createSuperAdmin(
  owner: Kysely<DB>,
  input: { username: string; password: string; displayName?: string },
  via = 'cli',
): Promise<{ id: string }> {
  const username = Username.safeParse(input.username);
  if (!username.success) {
    throw new AppError('VALIDATION_FAILED', 'Username is 3–32 lowercase letters, digits, ".", "_" or "-"');
  }
  const problem = passwordProblem(input.password, [username.data]);
  if (problem) throw new AppError('VALIDATION_FAILED', problem);
  const hash = await hashPassword(input.password);
  return owner.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('platform_admins')
      .select('id')
      .where('username', '=', username.data)
      .executeTakeFirst();
    if (existing)
      throw new AppError(
        'CONFLICT',
        `A super admin named "${username.data}" already exists; nothing changed`,
      );
    const id = randomUUID();
    await trx
      .insertInto('platform_admins')
      .values({
        id,
        username: username.data,
        display_name: input.displayName ?? username.data,
        password_hash: hash,
        totp_secret: null,
      })
      .execute();
    await recordPlatformEvent(
      trx,
      { type: 'system', id: null, role: null },
      {
        action: 'platform_admin.created',
        entity: 'platform_admin',
        entityId: id,
        details: { username: username.data, via },
      },
    );
    return { id };
  });
}

type Args = { username?: string; passwordStdin: boolean; displayName?: string };

function parseArgs(args: readonly string[]): Args | string {
  const parsed: Args = { passwordStdin: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const value = () => inline ?? args[++i];
    if (flag === '--username') parsed.username = value();
    else if (flag === '--display-name') parsed.displayName = value();
    else if (flag === '--password-stdin') parsed.passwordStdin = true;
    else if (flag === '--password')
      return 'Passwords are not accepted on the command line; use --password-stdin';
    else return `Unknown argument: ${arg}`;
  }
  if (!parsed.username) return 'Missing --username';
  if (!parsed.passwordStdin) return 'Missing --password-stdin (pipe the password on standard input)';
  return parsed;
}

/** Everything written to standard input, without the final line break. */
async function readAll(stdin: AsyncIterable<string | Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text.replace(/\r?\n$/, '');
}

type Output = { log: (line: string) => void; error: (line: string) => void };

/** The command itself, callable in-process (tests); returns the exit code. */
export async function main(
  args: readonly string[],
  stdin: AsyncIterable<string | Buffer>,
  db: Database,
  out: Output = { log: console.log, error: console.error },
): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    out.error(`${parsed}\n${USAGE}`);
    return 2;
  }
  const password = await readAll(stdin);
  try {
    const { id } = await createSuperAdmin(db.owner, {
      username: parsed.username ?? '',
      password,
      ...(parsed.displayName ? { displayName: parsed.displayName } : {}),
    });
    out.log(`Created super admin "${parsed.username}" (${id}). Sign in to the console without a clinic.`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      out.error(`Refused: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.stdin.isTTY) console.error('Type the password, then press Enter and Ctrl-D:');
  const config = loadConfig();
  const db = await openDatabase(config.database);
  let code = 1;
  try {
    await migrateToLatest(db.owner);
    code = await main(process.argv.slice(2), process.stdin, db);
  } finally {
    await db.close();
  }
  process.exit(code);
}
