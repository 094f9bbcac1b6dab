import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../lib/route-schemas';
import { callerOf } from '../../plugins/auth.plugin';
import {
  ChangePasswordBody,
  LoginBody,
  LoginResponse,
  RefreshBody,
  RefreshResponse,
  SigningKeyResponse,
} from './auth.schema';
import { type AuthDeps, changePassword, login, logout, refresh } from './auth.service';

const errors = errorResponses(400, 401, 403, 429);

/** Sessions: login, refresh, logout, password change, and the key that signs offline grants. */
export const authRoutes: FastifyPluginAsyncZod<{ deps: AuthDeps; loginRateLimitPerMinute: number }> = async (
  app,
  opts,
) => {
  const { deps } = opts;
  const loginLimit = { rateLimit: { max: opts.loginRateLimitPerMinute, timeWindow: '1 minute' } };

  // When to use: a desktop or console signs a user in (clinic users with clinicSlug and device).
  app.post(
    '/login',
    {
      config: { access: 'public', ...loginLimit },
      schema: {
        tags: ['auth'],
        summary: 'Sign in',
        body: LoginBody,
        response: { 200: LoginResponse, ...errors },
      },
    },
    async (request) => login(deps, request.body, request.ip),
  );

  // When to use: the access token is about to expire; exchange the refresh token for a new pair.
  app.post(
    '/refresh',
    {
      config: { access: 'public', ...loginLimit },
      schema: {
        tags: ['auth'],
        summary: 'Rotate the refresh token and get a new access token',
        body: RefreshBody,
        response: { 200: RefreshResponse, ...errors },
      },
    },
    async (request) => refresh(deps, request.body.refreshToken),
  );

  // When to use: the user signs out; the session and its refresh tokens stop working.
  app.post(
    '/logout',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out',
        security: [{ bearer: [] }],
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await logout(deps, callerOf(request));
      return reply.status(204).send(null);
    },
  );

  // When to use: the user changes their own password; all their sessions end.
  app.post(
    '/change-password',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Change your password (signs out every session)',
        security: [{ bearer: [] }],
        body: ChangePasswordBody,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await changePassword(deps, callerOf(request), request.body.currentPassword, request.body.newPassword);
      return reply.status(204).send(null);
    },
  );

  // When to use: a device verifies offline grants and licence leases with this key.
  app.get(
    '/signing-key',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Public key for offline grants and leases',
        response: { 200: SigningKeyResponse },
      },
    },
    async () => ({ algorithm: 'Ed25519' as const, publicKey: deps.signingKey.publicKeyPem }),
  );
};
