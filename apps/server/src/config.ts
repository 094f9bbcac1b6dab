import { z } from 'zod';

/**
 * Server configuration, read once from the environment at start-up and passed down explicitly.
 * Local defaults exist so `npm start` runs on a fresh machine; in production (`NODE_ENV=production`)
 * every secret must be supplied and the local defaults are refused.
 */
export const DEV_JWT_SECRET = 'clinicdesk-local-development-secret-do-not-use-in-production';

const Env = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATABASE_URL: z.string().url().optional(),
  /** Connection string for the request role; derived from DATABASE_URL when unset. */
  DATABASE_APP_URL: z.string().url().optional(),
  CLINICDESK_DATA_DIR: z.string().default('./data'),
  JWT_SECRET: z.string().min(32).default(DEV_JWT_SECRET),
  JWT_ISSUER: z.string().default('clinicdesk'),
  JWT_AUDIENCE: z.string().default('clinicdesk-api'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Ed25519 private key (PKCS#8 PEM) that signs offline grants and licence leases. */
  OFFLINE_SIGNING_KEY: z.string().optional(),
  /** Public address of the server, for one-time setup links. */
  PUBLIC_URL: z.string().url().optional(),
  /**
   * Days a deleted row's change-log entry is kept for devices that have not pulled it yet; a device
   * further behind downloads its clinic again. 0 keeps every entry (no compaction).
   */
  CHANGE_LOG_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
});

export type Config = {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  database: { kind: 'postgres'; url: string; appUrl: string } | { kind: 'pglite'; dataDir: string | null };
  jwt: { secret: string; issuer: string; audience: string; accessTtlSeconds: number };
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  loginRateLimitPerMinute: number;
  offlineSigningKeyPem: string | undefined;
  publicUrl: string;
  /** See CHANGE_LOG_RETENTION_DAYS; 0 = no compaction. */
  changeLogRetentionDays: number;
};

/** The login role that runs request queries: owns no table, cannot bypass row-level security. */
export const APP_ROLE = 'clinicdesk_app';

/** Derives the request role's connection string from the owner's by swapping the user name. */
export function deriveAppUrl(ownerUrl: string, password?: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = password ?? '';
  return url.toString();
}

/** Parses and checks the environment; throws with every problem listed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    if (e.JWT_SECRET === DEV_JWT_SECRET) throw new Error('JWT_SECRET must be set in production');
    if (!e.DATABASE_URL) throw new Error('DATABASE_URL must be set in production');
    if (!e.OFFLINE_SIGNING_KEY) throw new Error('OFFLINE_SIGNING_KEY must be set in production');
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          appUrl: e.DATABASE_APP_URL ?? deriveAppUrl(e.DATABASE_URL, env.DATABASE_APP_PASSWORD),
        }
      : { kind: 'pglite', dataDir: e.CLINICDESK_DATA_DIR },
    jwt: { secret: e.JWT_SECRET, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE, accessTtlSeconds: 15 * 60 },
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    offlineSigningKeyPem: e.OFFLINE_SIGNING_KEY?.replace(/\\n/g, '\n'),
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`,
    changeLogRetentionDays: e.CHANGE_LOG_RETENTION_DAYS,
  };
}
