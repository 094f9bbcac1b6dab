/**
 * Builds the renderer for the web host when the build is missing or older than its sources. Used by
 * `npm start` and by the end-to-end test setup, so a fresh clone needs no separate build step.
 * Concurrent callers (parallel test files) serialise on a lock folder; the build goes to a
 * temporary folder first and is renamed into place, so a reader never sees half a build.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rendererPaths, rendererViteConfig } from '../../vite.renderer.config';

const desktopRoot = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE_DIRS = [
  join(desktopRoot, 'src/renderer'),
  join(desktopRoot, 'src/shared'),
  join(desktopRoot, '../../packages/domain/src'),
];
const LOCK_STALE_MS = 5 * 60_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when `out/renderer` holds a build at least as new as every renderer source file. */
export function rendererIsFresh(outDir: string = rendererPaths.outDir): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return SOURCE_DIRS.every((dir) => !existsSync(dir) || newestMtime(dir) <= built);
}

async function withLock<T>(lockDir: string, run: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // Someone else is building; take over a lock left behind by a crashed build.
      if (existsSync(lockDir) && Date.now() - statSync(lockDir).mtimeMs > LOCK_STALE_MS)
        rmSync(lockDir, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await run();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Builds the renderer unless a fresh build exists; returns the folder to serve. */
export async function ensureRendererBuilt(
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<string> {
  const outDir = rendererPaths.outDir;
  if (!options.force && rendererIsFresh(outDir)) return outDir;
  mkdirSync(join(outDir, '..'), { recursive: true });
  await withLock(`${outDir}.lock`, async () => {
    if (!options.force && rendererIsFresh(outDir)) return;
    options.log?.('Building the ClinicDesk renderer…');
    const { build } = await import('vite');
    const temporary = `${outDir}.tmp-${process.pid}`;
    // Always the production bundle, whatever NODE_ENV the caller runs under: Vitest sets "test",
    // which makes Vite and the React plugin emit React's development build (StrictMode's double
    // effects, jsxDEV). Vite and the plugin read the variable itself, so it is set for the build.
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        ...rendererViteConfig(temporary),
        mode: 'production',
        logLevel: 'warn',
        configFile: false,
      });
    } finally {
      if (previous === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = previous;
    }
    rmSync(outDir, { recursive: true, force: true });
    renameSync(temporary, outDir);
  });
  return outDir;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureRendererBuilt({ force: process.argv.includes('--force'), log: console.log });
}
