/**
 * `npm run start -w @clinicdesk/desktop`: runs the desktop app. With Electron's binary installed it
 * launches Electron (electron-vite builds and previews); otherwise, or with `--web`, it builds the
 * renderer if needed and starts the web host, printing the address to open (token in the fragment).
 *
 * Options (flags or environment): --port / CLINICDESK_DESKTOP_PORT (default 5180),
 * --data-dir / CLINICDESK_DESKTOP_DATA_DIR (default apps/desktop/data/web-host),
 * CLINICDESK_SERVER_URL (server address suggested on first run, default http://127.0.0.1:8080).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppServices } from '../main/services/app-services';
import { ensureRendererBuilt } from './build-renderer';
import { startWebHost } from './web-host';

const desktopRoot = fileURLToPath(new URL('../..', import.meta.url));

function option(flag: string, env: string): string | undefined {
  const index = process.argv.indexOf(flag);
  return index >= 0 ? process.argv[index + 1] : process.env[env];
}

/** True when the `electron` package has its binary (it cannot be downloaded everywhere). */
function electronBinaryInstalled(): boolean {
  try {
    const packageJson = createRequire(import.meta.url).resolve('electron/package.json');
    const pathFile = join(dirname(packageJson), 'path.txt');
    if (!existsSync(pathFile)) return false;
    return existsSync(join(dirname(packageJson), 'dist', readFileSync(pathFile, 'utf8').trim()));
  } catch {
    return false;
  }
}

async function startWeb(): Promise<void> {
  const dataDir = resolve(
    option('--data-dir', 'CLINICDESK_DESKTOP_DATA_DIR') ?? join(desktopRoot, 'data/web-host'),
  );
  const port = Number(option('--port', 'CLINICDESK_DESKTOP_PORT') ?? 5180);
  const rendererDir = await ensureRendererBuilt({ log: console.log });
  const services = await createAppServices({
    dataDir,
    host: 'web',
    suggestedServerUrl: process.env.CLINICDESK_SERVER_URL ?? 'http://127.0.0.1:8080',
  });
  const host = await startWebHost({ services, rendererDir, port }).catch(() =>
    // The usual port is taken (a second desk on one machine): take any free one.
    startWebHost({ services, rendererDir, port: 0 }),
  );
  console.log(`ClinicDesk desktop (web host, data in ${dataDir})`);
  console.log(`Open ${host.url}`);
  const stop = async () => {
    await host.close();
    await services.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (!process.argv.includes('--web') && electronBinaryInstalled()) {
  const child = spawn('npx', ['electron-vite', 'preview'], { cwd: desktopRoot, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  await startWeb();
}
