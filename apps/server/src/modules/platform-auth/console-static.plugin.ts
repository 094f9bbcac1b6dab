import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/**
 * Serves the built super-admin console (a Vite SPA built with `base: '/console/'`) at `/console/`.
 *
 * - Files come from the console's build folder: `CLINICDESK_CONSOLE_DIR` when set, otherwise
 *   `apps/console/dist` of this checkout. `npm run build -w @clinicdesk/console` writes it.
 * - The folder is looked at on every request, so building while the server runs needs no restart;
 *   until `index.html` exists every console URL answers a 503 page saying how to build it.
 * - Client routes (`/console/clinics/…`, any path without a file extension) get `index.html`.
 *   Hashed bundles under `assets/` are cached for a year (`immutable`); `index.html` and the other
 *   files are revalidated on every load (`no-cache` with ETag), so a deploy is picked up at once.
 * - Every answer carries a strict Content-Security-Policy (no inline or eval'd script or style) and
 *   the usual hardening headers. The API under `/v1` is untouched by this plugin.
 */
export const CONSOLE_BUILD_HINT = 'console not built: run npm run build -w @clinicdesk/console';

/** The folder the console is served from: CLINICDESK_CONSOLE_DIR, or `apps/console/dist` of this checkout. */
export function consoleDistDir(env: Record<string, string | undefined> = process.env): string {
  const fromEnv = env.CLINICDESK_CONSOLE_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  return path.resolve(fileURLToPath(new URL('../../../../console/dist/', import.meta.url)));
}

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const HAS_EXTENSION = /\.[A-Za-z0-9]+$/;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>ClinicDesk console not built</title></head>
<body>
<h1>ClinicDesk console is not built</h1>
<p>${CONSOLE_BUILD_HINT}</p>
<p>Then reload this page. The API keeps working meanwhile; see <a href="/docs">/docs</a>.</p>
</body>
</html>
`;

export const consoleStaticPlugin: FastifyPluginAsync<{ dir: string }> = async (app, opts) => {
  const dir = path.resolve(opts.dir);
  const indexFile = path.join(dir, 'index.html');
  if (!existsSync(indexFile)) app.log.warn(`${CONSOLE_BUILD_HINT} (looked in ${dir})`);

  await app.register(fastifyStatic, {
    root: dir,
    serve: false,
    cacheControl: false,
    dotfiles: 'deny',
    index: false,
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });

  function notBuilt(reply: FastifyReply) {
    return reply
      .status(503)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(NOT_BUILT_PAGE);
  }

  function sendIndex(reply: FastifyReply) {
    if (!existsSync(indexFile)) return notBuilt(reply);
    return reply.header('cache-control', REVALIDATE).sendFile('index.html', dir);
  }

  // When to use: a browser opens the console or reloads on a client route.
  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));

  // When to use: the console's bundles and files, and deep links into the SPA.
  app.get<{ Params: { '*': string } }>('/*', { schema: { hide: true } }, async (request, reply) => {
    const file = request.params['*'];
    if (!HAS_EXTENSION.test(file)) return sendIndex(reply);
    if (!existsSync(indexFile)) return notBuilt(reply);
    // A missing file is a plain 404, never cached; nothing outside the build folder is reachable.
    const full = path.resolve(dir, file);
    if (!full.startsWith(dir + path.sep) || !existsSync(full)) return reply.callNotFound();
    reply.header('cache-control', file.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
    return reply.sendFile(file, dir);
  });
};
