import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/**
 * `npm run build:if-stale -w @clinicdesk/console`: builds the console into `dist/` only when the
 * build is missing or older than its sources, so starting the server from a fresh clone serves the
 * console without a manual build step, and a second start costs nothing.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const builtIndex = path.join(root, 'dist', 'index.html');
const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) =>
  path.join(root, p),
);

function newestChange(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce(
    (newest, name) => Math.max(newest, newestChange(path.join(target, name))),
    0,
  );
}

const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
const changedAt = Math.max(...sources.map(newestChange));
if (builtAt > changedAt) {
  console.log('console build is up to date');
} else {
  console.log(builtAt ? 'console sources changed; rebuilding' : 'console not built yet; building');
  await build({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
