import { PassThrough, type Writable } from 'node:stream';
import { constants, createGzip, gzip } from 'node:zlib';
import type { FastifyReply } from 'fastify';

/**
 * Whether an `Accept-Encoding` header allows gzip: `gzip` (or `x-gzip`, or `*`) listed with a
 * q-value above 0. An explicit `gzip;q=0` refuses it even when `*` allows everything else.
 */
export function acceptsGzip(header: string | readonly string[] | undefined): boolean {
  if (header === undefined) return false;
  let gzipQ: number | null = null;
  let anyQ: number | null = null;
  for (const part of (typeof header === 'string' ? header : header.join(',')).split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    const quality = Number.isFinite(q) ? q : 0;
    if (name === 'gzip' || name === 'x-gzip') gzipQ = Math.max(gzipQ ?? 0, quality);
    else if (name === '*') anyQ = quality;
  }
  return (gzipQ ?? anyQ ?? 0) > 0;
}

/** Output buffer of a pull page's gzip: a page of several megabytes compresses into one or two. */
const GZIP_CHUNK = 1 << 20;

/**
 * `text` gzipped at the fastest level in one job on the thread pool. A large body compressed as a
 * stream (the compression plugin) goes through the thread pool 16 KB at a time, each piece
 * handed back and forth through the event loop; compressed whole, it is one job.
 */
export function gzipBody(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gzip(text, { level: constants.Z_BEST_SPEED, chunkSize: GZIP_CHUNK }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

/** The body of an answer whose head is already out: `end` it with the text, or `destroy` it. */
export type EarlyBody = Pick<Writable, 'end' | 'destroy'>;

/**
 * Sends the reply's status and headers now, before its body exists, and returns the body's stream.
 * Headers leave with the first bytes of a body, so some go at once that change nothing the client
 * reads: a gzip stream's header, flushed (`gzipped`: the body is gzip-encoded), or a space, which
 * JSON allows before its value.
 */
export function sendEarlyHead(reply: FastifyReply, gzipped: boolean): EarlyBody {
  if (gzipped) reply.header('content-encoding', 'gzip');
  if (!gzipped) {
    const body = new PassThrough();
    reply.send(body);
    body.write(' ');
    return body;
  }
  const body = createGzip({ level: constants.Z_BEST_SPEED, chunkSize: GZIP_CHUNK });
  reply.send(body);
  body.flush(constants.Z_SYNC_FLUSH);
  return body;
}
