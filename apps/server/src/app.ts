import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config';
import type { Database } from './db/database';
import { loadSigningKey } from './lib/signing-keys';
import { adminRoutes } from './modules/admin/admin.routes';
import { authRoutes } from './modules/auth/auth.routes';
import type { AuthDeps } from './modules/auth/auth.service';
import { capacityRoutes } from './modules/capacity/capacity.routes';
import { clinicRoutes } from './modules/clinic/clinic.routes';
import { devicesRoutes } from './modules/devices/devices.routes';
import { healthRoutes } from './modules/health/health.routes';
import { consoleDistDir, consoleStaticPlugin } from './modules/platform-auth/console-static.plugin';
import { overviewRoutes } from './modules/platform-auth/overview.routes';
import { platformAuthRoutes } from './modules/platform-auth/platform-auth.routes';
import { setupPageRoutes } from './modules/setup-page/setup-page.routes';
import { clinicAuditRoutes } from './modules/staff/clinic-audit.routes';
import { staffRoutes, staffSetupRoutes } from './modules/staff/staff.routes';
import { compactChangeLog, scheduleCompaction } from './modules/sync/compaction.service';
import { startLiveHub } from './modules/sync/live-hub';
import { syncRoutes } from './modules/sync/sync.routes';
import { authPlugin } from './plugins/auth.plugin';
import { errorsPlugin } from './plugins/errors.plugin';
import { tenancyPlugin } from './plugins/tenancy.plugin';

export type RouteEntry = { method: string; url: string };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Change-log compaction runs a minute after start, then every six hours (each replica; idempotent). */
const COMPACTION_FIRST_AFTER_MS = 60_000;
const COMPACTION_EVERY_MS = 6 * 60 * 60 * 1000;

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: readonly RouteEntry[];
  }
}

export type AppOptions = {
  config: Config;
  db: Database;
  /** The clock; defaults to the system clock. */
  now?: () => Date;
  /** Pino options, or false to silence (tests). */
  logger?: boolean | Record<string, unknown>;
};

/** Log redaction: tokens, passwords and patient fields never reach the log. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'res.body',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
];

/**
 * The whole API as one Fastify instance. `server.ts` only starts it; tests build it with a test
 * database and talk to it over real HTTP or `inject`. The route table is readable right here.
 */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { config, db } = opts;
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: REDACTED_LOG_PATHS,
            ...(typeof opts.logger === 'object' ? opts.logger : {}),
          },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: false,
    // Event streams stay open for hours; shutting down must not wait for them.
    forceCloseConnections: true,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();

  // The route table, collected as routes register, so tests can sweep every route (a new route
  // without a case in the sweeps fails them).
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method !== 'HEAD') routeTable.push({ method, url: route.url });
    }
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorsPlugin);
  await app.register(rateLimit, { max: config.rateLimitPerMinute, timeWindow: '1 minute' });
  await app.register(compress, { global: true, threshold: 1024 });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'ClinicDesk API',
        version: '1',
        description:
          'Sync, identity and administration API of ClinicDesk. Errors: { error: { code, message, details? } }.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(tenancyPlugin, { db, now: opts.now ?? (() => new Date()) });
  await app.register(authPlugin, { jwt: config.jwt });

  const signingKey = await loadSigningKey(db.owner, config.offlineSigningKeyPem);
  const hub = await startLiveHub(db);
  app.addHook('onClose', () => hub.close());
  if (config.changeLogRetentionDays > 0) {
    const stopCompaction = scheduleCompaction({
      compact: () =>
        compactChangeLog(db.owner, new Date(app.now().getTime() - config.changeLogRetentionDays * DAY_MS)),
      everyMs: COMPACTION_EVERY_MS,
      firstAfterMs: COMPACTION_FIRST_AFTER_MS,
      onResult: (result) => {
        if ('error' in result) app.log.error({ err: result.error }, 'change-log compaction failed');
        else if (result.report.removed > 0) app.log.info(result.report, 'change log compacted');
      },
    });
    app.addHook('onClose', stopCompaction);
  }
  const authDeps: AuthDeps = {
    db,
    now: app.now,
    signAccessToken: app.signAccessToken,
    signingKey,
    accessTtlSeconds: config.jwt.accessTtlSeconds,
  };

  // Route table.
  await app.register(healthRoutes);
  await app.register(setupPageRoutes);
  await app.register(authRoutes, {
    prefix: '/v1/auth',
    deps: authDeps,
    loginRateLimitPerMinute: config.loginRateLimitPerMinute,
  });
  await app.register(devicesRoutes, { prefix: '/v1/devices' });
  await app.register(clinicRoutes, { prefix: '/v1/clinic' });
  await app.register(staffRoutes, { prefix: '/v1/clinic/staff', publicUrl: config.publicUrl });
  await app.register(capacityRoutes, { prefix: '/v1/clinic/usage' });
  await app.register(clinicAuditRoutes, { prefix: '/v1/clinic/audit' });
  await app.register(staffSetupRoutes, {
    prefix: '/v1/staff',
    rateLimitPerMinute: config.loginRateLimitPerMinute,
  });
  await app.register(adminRoutes, { prefix: '/v1/admin', publicUrl: config.publicUrl });
  await app.register(platformAuthRoutes, {
    prefix: '/v1/admin/totp',
    rateLimitPerMinute: config.loginRateLimitPerMinute,
  });
  await app.register(overviewRoutes, { prefix: '/v1/admin/overview' });
  await app.register(syncRoutes, { prefix: '/v1/sync', hub, signingKey });
  await app.register(consoleStaticPlugin, { prefix: '/console', dir: consoleDistDir() });

  return app;
}
