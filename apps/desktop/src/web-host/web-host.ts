/**
 * The web host: the main process's services and IPC contract served over localhost HTTP, plus the
 * built renderer, so the same app runs in any Chromium (end-to-end tests, demos) without Electron.
 *
 *   POST /ipc/<channel>   JSON arguments → JSON envelope (the same router as Electron IPC)
 *   GET  /events          server-sent app events
 *   GET  /*               the built renderer, with the production CSP and security headers
 *
 * Invariants:
 * - Listens on the loopback interface only.
 * - Every /ipc and /events request carries the per-launch random token in `x-clinicdesk-token`
 *   (compared in constant time); the page gets it from the URL fragment, which browsers never send.
 * - The Host header must name this host and port (no DNS rebinding), and a browser's Origin, when
 *   present, must be this origin; the router then checks that origin like Electron's frame URL.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createIpcRouter, type IpcRouter } from '../main/ipc/ipc-router';
import { rendererSecurityHeaders } from '../main/security/content-security-policy';
import type { AppServices } from '../main/services/app-services';
import { readStaticFile } from '../main/static-files';

/** Header that carries the launch token. */
export const TOKEN_HEADER = 'x-clinicdesk-token';
const MAX_BODY_BYTES = 1024 * 1024;

export interface WebHostOptions {
  readonly services: AppServices;
  /** Folder of the built renderer (`out/renderer`). */
  readonly rendererDir: string;
  /** Port to listen on; 0 picks a free one. */
  readonly port?: number;
  /** The launch token; random when omitted. */
  readonly token?: string;
}

export interface WebHost {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly token: string;
  /** The address to open in a browser: the origin with the token in the fragment. */
  readonly url: string;
  close(): Promise<void>;
}

function tokensMatch(expected: Buffer, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const candidate = Buffer.from(given);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the web host on 127.0.0.1. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);
  const { services } = options;
  let origin = '';
  let router: IpcRouter | null = null;
  const streams = new Set<ServerResponse>();

  const allowedHost = (req: IncomingMessage) => {
    const port = new URL(origin).port;
    return req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  };

  const handleIpc = async (req: IncomingMessage, res: ServerResponse, channel: string) => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
    const text = await readBody(req);
    if (text === null) return sendJson(res, 413, { error: 'Body too large' });
    let args: unknown = {};
    try {
      args = text === '' ? {} : JSON.parse(text);
    } catch {
      return sendJson(res, 400, { error: 'Body is not JSON' });
    }
    const senderOrigin = typeof req.headers.origin === 'string' ? req.headers.origin : origin;
    const envelope = await router?.dispatch(decodeURIComponent(channel), args, { url: `${senderOrigin}/` });
    sendJson(res, 200, envelope);
  };

  const handleEvents = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribe = services.events.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(res);
    });
  };

  const handleStatic = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'GET only' });
    const file = await readStaticFile(options.rendererDir, path);
    if (file === null) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': file.contentType,
      'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...rendererSecurityHeaders(),
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handle = async () => {
      if (!allowedHost(req)) return sendJson(res, 421, { error: 'Wrong host' });
      const api = url.pathname.startsWith('/ipc/') || url.pathname === '/events';
      if (!api) return handleStatic(req, res, url.pathname);
      if (typeof req.headers.origin === 'string' && req.headers.origin !== origin) {
        return sendJson(res, 403, { error: 'Wrong origin' });
      }
      if (!tokensMatch(expected, req.headers[TOKEN_HEADER]))
        return sendJson(res, 401, { error: 'Token required' });
      if (url.pathname === '/events') return handleEvents(req, res);
      return handleIpc(req, res, url.pathname.slice('/ipc/'.length));
    };
    handle().catch((error: unknown) => {
      console.error('web host request failed', error);
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal error' });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The web host has no TCP address');
  const { port } = address;
  origin = `http://127.0.0.1:${port}`;
  router = createIpcRouter(services.handlers, {
    isTrustedSender: (url) => url === `${origin}/`,
    authorize: services.authorize,
    mapError: services.mapError,
    onUnexpectedError: (channel, error) => console.error(`IPC ${channel} failed`, error),
  });

  return {
    origin,
    token,
    url: `${origin}/#token=${token}`,
    async close() {
      for (const stream of streams) stream.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold close() open for seconds.
      server.closeAllConnections();
      await closed;
    },
  };
}
