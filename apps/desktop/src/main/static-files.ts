/**
 * Reads a file of the built renderer for a URL path, for both the Electron protocol handler and the
 * web host. Paths are decoded and resolved inside the renderer folder; anything that escapes it,
 * or names a dot-file, is refused. Paths without an extension fall back to `index.html` so a
 * reload on any screen still loads the app.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** A file to send. */
export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The file under `root` for `urlPath`, or null when there is none (or the path is not allowed). */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const relative = normalize(decoded).replace(/^[/\\]+/, '');
  if (relative.split(/[/\\]/).some((part) => part.startsWith('.') && part !== '')) return null;
  const wanted = relative === '' ? 'index.html' : relative;
  const full = resolve(base, wanted);
  if (full !== base && !full.startsWith(base + sep)) return null;
  const target = extname(wanted) === '' ? join(base, 'index.html') : full;
  try {
    const info = await stat(target);
    if (!info.isFile()) return null;
    return {
      body: await readFile(target),
      contentType: CONTENT_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream',
    };
  } catch {
    return null;
  }
}
