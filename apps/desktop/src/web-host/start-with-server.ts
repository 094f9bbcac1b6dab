/**
 * `npm start` at the workspace root: the whole product on one machine from a fresh clone. Seeds
 * the demo clinics into the server's database (embedded PGlite unless DATABASE_URL is set; safe to
 * repeat), starts the server, waits for its /health, then starts the desktop (Electron when its
 * binary is installed, else the web host, whose address it prints). Ctrl+C stops both.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const serverUrl = `http://127.0.0.1:${process.env.PORT ?? '8080'}`;
const children: ChildProcess[] = [];

function run(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(npm, args, { cwd: repoRoot, stdio: 'inherit', env });
  children.push(child);
  return child;
}

function stopAll(code: number): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}

async function serverHealthy(deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${serverUrl}/health`, { signal: AbortSignal.timeout(2000) })).ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));

const seeded = await new Promise<number>((resolve) =>
  run(['run', 'seed:demo']).once('exit', (code) => resolve(code ?? 1)),
);
if (seeded !== 0) {
  console.error('Seeding the demo data failed; see above.');
  process.exit(seeded);
}
const server = run(['run', 'server']);
server.once('exit', (code) => stopAll(code ?? 0));
if (!(await serverHealthy(Date.now() + 120_000))) {
  console.error(`The server did not answer on ${serverUrl}/health.`);
  stopAll(1);
} else {
  const desktop = run(['run', 'start', '-w', '@clinicdesk/desktop'], {
    ...process.env,
    CLINICDESK_SERVER_URL: serverUrl,
  });
  desktop.once('exit', (code) => stopAll(code ?? 0));
}
