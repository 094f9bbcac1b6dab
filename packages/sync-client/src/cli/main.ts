/**
 * `npm run sync-client -- <command> [options]`: the headless ClinicDesk client.
 *
 *   login   --server URL --clinic SLUG --username NAME --password-stdin [--device-name NAME]
 *   sync    [--once | --watch] [--page-size N]
 *   status  [--json]
 *   logout
 *
 * Every command takes `--data DIR` (default `./clinicdesk-device`), the device's data folder.
 * Exit codes: 0 done, 1 failed, 2 usage, 3 waiting for approval, 4 not signed in.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ClientError, EXIT, login, logout, status, sync } from './headless-client';

const USAGE = `Usage: npm run sync-client -- <command> [options]

Commands:
  login   --server URL --clinic SLUG --username NAME --password-stdin [--device-name NAME]
          Registers this data folder as a device of the clinic and signs in. A clinic admin
          signing in approves the device; others wait for an admin's approval.
  sync    [--once | --watch] [--page-size N]
          Pushes pending changes and pulls until up to date; --watch keeps syncing.
  status  [--json]
          Shows what this device knows (works offline).
  logout  Ends the session and forgets its token.

Options for every command:
  --data DIR   the device's data folder (default ./clinicdesk-device)
  --help       this text
`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      data: { type: 'string', default: './clinicdesk-device' },
      server: { type: 'string' },
      clinic: { type: 'string' },
      username: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      'device-name': { type: 'string' },
      once: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'page-size': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, ...extra] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (extra.length > 0) throw new ClientError(`Unexpected argument: ${extra.join(' ')}`, EXIT.usage);
  const ctx = { dataDir: resolve(values.data), out: (line: string) => console.log(line) };
  switch (command) {
    case 'login': {
      const { server, clinic, username } = values;
      if (!server || !clinic || !username) {
        throw new ClientError('login needs --server, --clinic and --username', EXIT.usage);
      }
      if (!values['password-stdin']) {
        throw new ClientError(
          'login reads the password from standard input: add --password-stdin',
          EXIT.usage,
        );
      }
      const password = await readStdin();
      if (!password) throw new ClientError('No password on standard input', EXIT.usage);
      return login(ctx, {
        serverUrl: server,
        clinicSlug: clinic,
        username,
        password,
        ...(values['device-name'] ? { deviceName: values['device-name'] } : {}),
      });
    }
    case 'sync': {
      if (values.once && values.watch) throw new ClientError('Choose one of --once and --watch', EXIT.usage);
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      const pageSize = values['page-size'] === undefined ? undefined : Number(values['page-size']);
      if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 5000)) {
        throw new ClientError('--page-size must be a whole number from 1 to 5000', EXIT.usage);
      }
      return sync(ctx, {
        watch: values.watch,
        signal: stop.signal,
        ...(pageSize ? { pullLimit: pageSize } : {}),
      });
    }
    case 'status':
      return status(ctx, { json: values.json });
    case 'logout':
      return logout(ctx);
    default:
      throw new ClientError(`Unknown command "${command}"\n\n${USAGE}`, EXIT.usage);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ClientError) {
    console.error(error.message);
    process.exitCode = error.exitCode;
  } else if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = EXIT.usage;
  } else {
    console.error(`Unexpected failure: ${(error as Error).message}`);
    process.exitCode = EXIT.failed;
  }
}
