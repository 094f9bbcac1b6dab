import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { Config } from '../config';
import { AppError } from '../lib/app-error';

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

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: verifies the bearer token and sets `request.caller`, or answers 401. */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** Signs an access token for the given claims (15 minutes, pinned algorithm, iss/aud). */
    signAccessToken: (claims: AccessClaims) => string;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
}

export const ACCESS_TOKEN_ALGORITHM = 'HS256';

/** Access tokens: signature, algorithm, issuer, audience and expiry checked; claims validated. */
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

    app.decorate('signAccessToken', (claims: AccessClaims) => app.jwt.sign(claims));

    app.decorate('authenticate', async (request: FastifyRequest) => {
      let decoded: unknown;
      try {
        decoded = await request.jwtVerify();
      } catch (err) {
        const expired = (err as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED';
        throw new AppError('UNAUTHORIZED', expired ? 'Access token has expired' : 'Missing or invalid access token');
      }
      const claims = AccessClaims.safeParse(decoded);
      if (!claims.success) throw new AppError('UNAUTHORIZED', 'Access token claims are invalid');
      request.caller = claims.data;
    });
  },
  { name: 'auth' },
);
