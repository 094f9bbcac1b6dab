import { can, Permission } from '@clinicdesk/domain';
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { Config } from '../config';
import { AppError } from '../lib/app-error';
import { inClinic } from './tenancy.plugin';

/** The claims of an access token, checked on every request after the signature. */
export const AccessClaims = z.object({
  sub: z.string().uuid(),
  clinicId: z.string().uuid().nullable(),
  role: z.enum(['super_admin', 'admin', 'doctor', 'receptionist', 'lab_tech', 'patient']),
  deviceId: z.string().uuid().nullable(),
  sid: z.string().uuid(),
});
export type AccessClaims = z.infer<typeof AccessClaims>;

/** The verified caller of a request. Built only from a verified token, never from the URL or body. */
export type Caller = AccessClaims;

/**
 * Who may call a route, declared on every `/v1` route as `config: { access }`:
 * - `public`: no token (login, refresh, device registration);
 * - `authenticated`: any signed-in caller with a live session;
 * - `clinic`: any signed-in clinic user (the route acts on the caller's own clinic);
 * - `device`: clinic staff signed in on a registered device (sync);
 * - a Permission: the caller's role must have it (super-admin routes use `platform.manage`).
 */
export const RouteAccess = z.union([z.enum(['public', 'authenticated', 'clinic', 'device']), Permission]);
export type RouteAccess = z.infer<typeof RouteAccess>;

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** A super-admin route a super admin may use before enrolling a second factor (the enrolment itself). */
    beforeSecondFactor?: boolean;
  }
  interface FastifyInstance {
    /** Verifies the bearer token and the session behind it; sets `request.caller` or throws 401. */
    authenticate: (request: FastifyRequest) => Promise<Caller>;
    /** Signs an access token for the given claims (15 minutes, pinned algorithm, iss/aud). */
    signAccessToken: (claims: AccessClaims) => string;
  }
  interface FastifyRequest {
    caller: Caller | null;
    /** For a super admin's request: whether their account has a second factor (TOTP) enrolled. */
    secondFactor: boolean | null;
  }
}

export const ACCESS_TOKEN_ALGORITHM = 'HS256';

/** The caller of an authenticated route (set by the access hook). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new AppError('UNAUTHORIZED', 'Sign in first');
  return request.caller;
}

/**
 * Access tokens (signature, pinned algorithm, issuer, audience, expiry, claims) and a live session
 * behind each: a revoked session, device or user, or a suspended clinic, stops the token at once.
 * Every `/v1` route must declare its access; a route that does not fails at start-up.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { jwt: Config['jwt'] }) => {
    await app.register(jwt, {
      secret: opts.jwt.secret,
      sign: {
        algorithm: ACCESS_TOKEN_ALGORITHM,
        iss: opts.jwt.issuer,
        aud: opts.jwt.audience,
        expiresIn: opts.jwt.accessTtlSeconds,
      },
      verify: {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        allowedIss: opts.jwt.issuer,
        allowedAud: opts.jwt.audience,
      },
    });
    app.decorateRequest('caller', null);
    app.decorateRequest('secondFactor', null);
    app.decorate('signAccessToken', (claims: AccessClaims) => app.jwt.sign(claims));

    /** Checks the session behind the token; for a super admin, answers whether TOTP is enrolled. */
    async function assertSessionLive(claims: AccessClaims): Promise<boolean | null> {
      const now = app.now();
      if (claims.clinicId === null) {
        const row = await app.db.owner
          .selectFrom('platform_sessions as s')
          .innerJoin('platform_admins as a', 'a.id', 's.admin_id')
          .select(['s.revoked_at', 's.expires_at', 'a.is_active', 'a.totp_enabled'])
          .where('s.id', '=', claims.sid)
          .where('s.admin_id', '=', claims.sub)
          .executeTakeFirst();
        if (!row || row.revoked_at || row.expires_at <= now || !row.is_active) {
          throw new AppError('UNAUTHORIZED', 'Session has ended; sign in again');
        }
        return row.totp_enabled;
      }
      const row = await inClinic(app.db.app, claims.clinicId, (trx, clinicId) =>
        trx
          .selectFrom('sessions as s')
          .innerJoin('users as u', (j) =>
            j.onRef('u.clinic_id', '=', 's.clinic_id').onRef('u.id', '=', 's.user_id'),
          )
          .innerJoin('clinics as c', 'c.id', 's.clinic_id')
          .leftJoin('devices as d', (j) =>
            j.onRef('d.clinic_id', '=', 's.clinic_id').onRef('d.id', '=', 's.device_id'),
          )
          .select([
            's.revoked_at',
            's.expires_at',
            's.device_id',
            'u.is_active as user_active',
            'u.deleted_at as user_deleted',
            'c.is_active as clinic_active',
            'c.subscription_status',
            'd.status as device_status',
          ])
          .where('s.clinic_id', '=', clinicId)
          .where('s.id', '=', claims.sid)
          .where('s.user_id', '=', claims.sub)
          .executeTakeFirst(),
      );
      if (!row) throw new AppError('UNAUTHORIZED', 'Session has ended; sign in again');
      if (!row.clinic_active || row.subscription_status === 'suspended') {
        throw new AppError('CLINIC_SUSPENDED', 'This clinic is suspended');
      }
      if (row.revoked_at || row.expires_at <= now || !row.user_active || row.user_deleted) {
        throw new AppError('UNAUTHORIZED', 'Session has ended; sign in again');
      }
      if (
        (row.device_id ?? null) !== claims.deviceId ||
        (row.device_id && row.device_status !== 'approved')
      ) {
        throw new AppError('UNAUTHORIZED', 'This device is no longer allowed; ask your clinic admin');
      }
      return null;
    }

    app.decorate('authenticate', async (request: FastifyRequest) => {
      let decoded: unknown;
      try {
        decoded = await request.jwtVerify();
      } catch (err) {
        const expired = (err as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED';
        throw new AppError(
          'UNAUTHORIZED',
          expired ? 'Access token has expired' : 'Missing or invalid access token',
        );
      }
      const claims = AccessClaims.safeParse(decoded);
      if (!claims.success) throw new AppError('UNAUTHORIZED', 'Access token claims are invalid');
      request.secondFactor = await assertSessionLive(claims.data);
      request.caller = claims.data;
      request.log = request.log.child({ clinicId: claims.data.clinicId, userId: claims.data.sub });
      return claims.data;
    });

    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/v1')) return;
      const access = RouteAccess.safeParse(route.config?.access);
      if (!access.success) throw new Error(`Route ${route.method} ${route.url} does not declare its access`);
    });

    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config.access;
      if (access === undefined || access === 'public') return;
      const caller = await app.authenticate(request);
      if (access === 'authenticated') return;
      if (access === 'clinic') {
        if (!caller.clinicId) throw new AppError('FORBIDDEN', 'This route is for clinic users');
        return;
      }
      if (access === 'device') {
        if (!caller.clinicId || !caller.deviceId || caller.role === 'patient') {
          throw new AppError('FORBIDDEN', 'Sync needs clinic staff on a registered ClinicDesk device');
        }
        return;
      }
      if (!can(caller.role, access)) {
        throw new AppError('FORBIDDEN', `Your role (${caller.role}) may not do this`);
      }
      // The platform's keys need two factors: until TOTP is enrolled, only the enrolment is open.
      if (
        caller.role === 'super_admin' &&
        request.secondFactor === false &&
        !request.routeOptions.config.beforeSecondFactor
      ) {
        throw new AppError('FORBIDDEN', 'Set up your authenticator app first', {
          reason: 'second_factor_required',
        });
      }
    });
  },
  { name: 'auth', dependencies: ['tenancy'] },
);
