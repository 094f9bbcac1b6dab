import {
  checkPushRequest,
  clientVersionVerdict,
  leaseRequestSchema,
  leaseResponseSchema,
  PROTOCOL_VERSION,
  PULL_HAS_MORE_HEADER,
  PULL_NEXT_CURSOR_HEADER,
  PUSH_MORE_FOLLOWS_HEADER,
  PUSH_SEND_NEXT_HEADER,
  pullRequestSchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
} from '@clinicdesk/sync-protocol';
import type { FastifyReply } from 'fastify';
import { type FastifyPluginAsyncZod, validatorCompiler } from 'fastify-type-provider-zod';
import { AppError } from '../../lib/app-error';
import { acceptsGzip, type EarlyBody, gzipBody, sendEarlyHead } from '../../lib/gzip-body';
import { errorResponses } from '../../lib/route-schemas';
import type { SigningKey } from '../../lib/signing-keys';
import { type Caller, callerOf } from '../../plugins/auth.plugin';
import { leaseBlock } from './lease.service';
import type { LiveHub } from './live-hub';
import { createPullCache, pullChanges, pullFormatFor, pullResponseBody } from './pull.service';
import { applyPush, LICENCE_LEASE_DAYS } from './push.service';

const security = [{ bearer: [] }];

/** Sync bodies shorter than this go uncompressed (the compression plugin's threshold). */
const GZIP_MIN_LENGTH = 1024;

// Sync bodies hold thousands of rows built by typed code: documented by their schemas, but sent
// without re-validating every row on the way out, and gzipped by their routes.
const fastSerializer = () => (data: unknown) => JSON.stringify(data);

/**
 * A push body passes the plain-code check of the request's rules (`checkPushRequest`, which
 * accepts exactly what the schema accepts) and only a body it refuses is read by the schema, for
 * its detailed error. A drain's requests carry a thousand groups each.
 */
const pushBodyValidator: typeof validatorCompiler = (route) => {
  const bySchema = validatorCompiler(route);
  if (route.httpPart !== 'body') return bySchema;
  return (data) => {
    const request = checkPushRequest(data);
    return request === null ? bySchema(data) : { value: request };
  };
};

/** The caller must be a clinic user on a registered device: sync is per device. */
function syncCaller(caller: Caller): Caller & { clinicId: string; deviceId: string } {
  if (!caller.clinicId || !caller.deviceId) {
    throw new AppError('FORBIDDEN', 'Sync needs a registered ClinicDesk device');
  }
  return { ...caller, clinicId: caller.clinicId, deviceId: caller.deviceId };
}

/** 426 for clients older than the previous protocol version (the device keeps its outbox). */
function checkVersion(clientVersion: number): void {
  const verdict = clientVersionVerdict(PROTOCOL_VERSION, clientVersion);
  if (verdict === 'too_old') {
    throw new AppError('UPGRADE_REQUIRED', 'This ClinicDesk app is too old to sync; please update it', {
      serverVersion: PROTOCOL_VERSION,
    });
  }
  if (verdict === 'too_new') {
    throw new AppError(
      'VALIDATION_FAILED',
      'This app is newer than the server; try again after the server update',
    );
  }
}

/** Device sync: push, pull, live pokes and counter leases (DESIGN §5). */
export const syncRoutes: FastifyPluginAsyncZod<{ hub: LiveHub; signingKey: SigningKey }> = async (
  app,
  opts,
) => {
  const pullCache = createPullCache();
  // When to use: a device sends its outbox groups, in order; each group is decided exactly once.
  app.post(
    '/push',
    {
      config: { access: 'device' },
      // Gzipped here, whole or (when the head goes out early) through the body's stream.
      compress: false,
      // Fastify types a route's compiler by the whole route schema; it is called once per part.
      validatorCompiler: pushBodyValidator as never,
      serializerCompiler: fastSerializer,
      schema: {
        tags: ['sync'],
        summary: "Push a device's queued changes",
        security,
        body: pushRequestSchema,
        response: { 200: pushResponseSchema, ...errorResponses(400, 401, 403, 413, 426) },
      },
    },
    async (request, reply) => {
      checkVersion(request.body.protocolVersion);
      const caller = syncCaller(callerOf(request));
      // Already JSON: sent through the untyped reply, as the pull's pages are.
      const untyped: FastifyReply = reply;
      const acceptsZip = acceptsGzip(request.headers['accept-encoding']);
      untyped.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
      // When the device has another push ready, the head goes out as soon as this request holds
      // the clinic's lock: the next request, sent then, is decided after this one.
      const early: { body: EarlyBody | null } = { body: null };
      const moreFollows = request.headers[PUSH_MORE_FOLLOWS_HEADER] === 'true';
      try {
        const response = await applyPush(
          { db: app.db.app, now: app.now },
          caller,
          request.body.groups,
          moreFollows
            ? () => {
                early.body = sendEarlyHead(untyped.header(PUSH_SEND_NEXT_HEADER, 'true'), acceptsZip);
              }
            : undefined,
        );
        const body = JSON.stringify(response);
        if (early.body) {
          early.body.end(body);
          return untyped;
        }
        const gzipped = body.length >= GZIP_MIN_LENGTH && acceptsZip;
        if (gzipped) untyped.header('content-encoding', 'gzip');
        return untyped.send(gzipped ? await gzipBody(body) : body);
      } catch (error) {
        if (!early.body) throw error;
        // The status is out already: the answer is cut off, and the device sends the groups again.
        request.log.error({ err: error }, 'push failed after its head was sent');
        early.body.destroy(error as Error);
        return untyped;
      }
    },
  );

  // When to use: a device fetches the clinic's changes after its cursor (0 = full snapshot), page by page.
  app.get(
    '/pull',
    {
      config: { access: 'device' },
      // Pages are megabytes of JSON, compressed here rather than by the plugin: gzip whatever else
      // the device offers (the plugin would pick brotli over HTTPS), at the fastest level (about
      // three times faster than the default for a slightly larger body), in one job (`gzipBody`), or
      // through the body's stream when the head went out first (`sendEarlyHead`).
      compress: false,
      serializerCompiler: fastSerializer,
      schema: {
        tags: ['sync'],
        summary: 'Pull changes after a cursor',
        security,
        querystring: pullRequestSchema,
        response: { 200: pullResponseSchema, ...errorResponses(400, 401, 403, 410, 426) },
      },
    },
    async (request, reply) => {
      checkVersion(request.query.protocolVersion);
      const caller = syncCaller(callerOf(request));
      // Already JSON (the change rows were written as JSON text by PostgreSQL): sent as it is, so
      // through the untyped reply, whose payload is not checked against the response schema.
      // The page's end goes in the headers too, so the device can ask for the next page at once.
      const untyped: FastifyReply = reply;
      const acceptsZip = acceptsGzip(request.headers['accept-encoding']);
      const head = (end: { nextCursor: number; hasMore: boolean }) =>
        untyped
          .type('application/json; charset=utf-8')
          .header('vary', 'accept-encoding')
          .header(PULL_NEXT_CURSOR_HEADER, String(end.nextCursor))
          .header(PULL_HAS_MORE_HEADER, String(end.hasMore));
      // When more pages follow, the head goes out as soon as the page's end is known, before the
      // page is written: the device asks for the next page while the server writes this one.
      const early: { body: EarlyBody | null } = { body: null };
      try {
        const page = await pullChanges(
          {
            db: app.db.app,
            now: app.now,
            signingKey: opts.signingKey,
            leaseDays: LICENCE_LEASE_DAYS,
            cache: pullCache,
          },
          caller,
          request.query.cursor,
          request.query.limit,
          pullFormatFor(request.query.protocolVersion),
          (end) => {
            if (!end.hasMore) return;
            early.body = sendEarlyHead(head(end), acceptsZip);
          },
        );
        const body = pullResponseBody(page);
        if (early.body) {
          early.body.end(body);
          return untyped;
        }
        const gzipped = body.length >= GZIP_MIN_LENGTH && acceptsZip;
        if (gzipped) untyped.header('content-encoding', 'gzip');
        return head(page.envelope).send(gzipped ? await gzipBody(body) : body);
      } catch (error) {
        if (!early.body) throw error;
        // The status is out already: the answer is cut off, and the device asks again.
        request.log.error({ err: error }, 'pull failed after its head was sent');
        early.body.destroy(error as Error);
        return untyped;
      }
    },
  );

  // When to use: an online device leases a block of patient codes or queue tokens to assign offline.
  app.post(
    '/leases',
    {
      config: { access: 'device' },
      schema: {
        tags: ['sync'],
        summary: 'Lease a block of counter numbers',
        security,
        body: leaseRequestSchema,
        response: { 200: leaseResponseSchema, ...errorResponses(400, 401, 402, 403, 426) },
      },
    },
    async (request) => {
      checkVersion(request.body.protocolVersion);
      const caller = syncCaller(callerOf(request));
      return app
        .tenantOf(request)
        .write((trx, clinicId) => leaseBlock(trx, clinicId, caller.deviceId, request.body, app.now()));
    },
  );

  // When to use: an online device keeps this open; an `event: changes` means "pull now".
  app.get(
    '/events',
    {
      config: { access: 'device' },
      schema: {
        tags: ['sync'],
        summary: 'Server-sent events: a poke whenever the clinic has new changes',
        security,
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const caller = syncCaller(callerOf(request));
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\nevent: ready\ndata: {}\n\n');
      const unsubscribe = opts.hub.subscribe(caller.clinicId, () => {
        res.write('event: changes\ndata: {}\n\n');
      });
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
      const end = () => {
        clearInterval(keepAlive);
        unsubscribe();
      };
      request.raw.on('close', end);
      res.on('close', end);
    },
  );
};
