import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../lib/route-schemas';
import { callerOf } from '../../plugins/auth.plugin';
import { TotpConfirmBody, TotpEnrolment, TotpStatus } from './platform-auth.schema';
import {
  confirmTotpEnrolment,
  type PlatformAuthDeps,
  startTotpEnrolment,
  totpStatus,
} from './platform-auth.service';

const access = 'platform.manage' as const;
const security = [{ bearer: [] }];
const tags = ['admin'];

/**
 * A super admin's authenticator (prefix `/v1/admin/totp`). The console sends a super admin here
 * right after their first sign-in and does not let them past until the factor is on.
 */
export const platformAuthRoutes: FastifyPluginAsyncZod<{ rateLimitPerMinute: number }> = async (
  app,
  opts,
) => {
  const deps: PlatformAuthDeps = { db: app.db, now: app.now };

  // When to use: after sign-in, to decide whether the console must show the enrolment screen.
  app.get(
    '/',
    {
      config: { access, beforeSecondFactor: true },
      schema: {
        tags,
        summary: "Whether the caller's authenticator (TOTP) is on",
        security,
        response: { 200: TotpStatus, ...errorResponses(401, 403) },
      },
    },
    async (request) => totpStatus(deps, callerOf(request)),
  );

  // When to use: the enrolment screen opens; show the returned URI as a QR code and the secret as text.
  app.post(
    '/enroll',
    {
      config: { access, beforeSecondFactor: true },
      schema: {
        tags,
        summary: 'Start authenticator enrolment: a new pending secret and its otpauth:// URI',
        security,
        response: { 200: TotpEnrolment, ...errorResponses(401, 403, 409) },
      },
    },
    async (request) => startTotpEnrolment(deps, callerOf(request)),
  );

  // When to use: the super admin typed the first code from their app; sign-in needs codes from now on.
  app.post(
    '/confirm',
    {
      config: {
        access,
        beforeSecondFactor: true,
        rateLimit: { max: opts.rateLimitPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags,
        summary: 'Confirm enrolment with a code; turns the authenticator on and ends other sessions',
        security,
        body: TotpConfirmBody,
        response: { 200: TotpStatus, ...errorResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request) => confirmTotpEnrolment(deps, callerOf(request), request.body.code),
  );
};
