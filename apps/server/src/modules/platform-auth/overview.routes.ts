import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../lib/app-error';
import { errorResponses } from '../../lib/route-schemas';
import {
  clinicExists,
  clinicNames,
  clinicUsageHistory,
  identityAvailability,
  platformOverview,
} from './overview.repository';
import {
  ClinicNames,
  ClinicNamesQuery,
  ClinicUsageHistory,
  IdentityAvailability,
  IdentityQuery,
  PlatformOverview,
  UsageHistoryParams,
  UsageHistoryQuery,
} from './overview.schema';

const access = 'platform.manage' as const;
const security = [{ bearer: [] }];
const tags = ['admin'];

/**
 * Read-only aggregates the console's screens need (prefix `/v1/admin/overview`): the platform
 * overview, one clinic's usage over time, the live uniqueness check of the create-clinic wizard,
 * and clinic names for the audit log. Counts only, through the owner connection; nothing here changes data.
 */
export const overviewRoutes: FastifyPluginAsyncZod = async (app) => {
  // When to use: the console's home screen (clinics by status, devices, sync errors, growth, limits).
  app.get(
    '/',
    {
      config: { access },
      schema: {
        tags,
        summary:
          'Platform overview: clinics by status, devices, sync errors (24 h), patients per month, near limits',
        security,
        response: { 200: PlatformOverview, ...errorResponses(401, 403) },
      },
    },
    async () => platformOverview(app.db.owner, app.now()),
  );

  // When to use: the usage-over-time chart of the console's clinic page.
  app.get(
    '/clinics/:id/usage',
    {
      config: { access },
      schema: {
        tags,
        summary: "A clinic's patients registered and visits per month",
        security,
        params: UsageHistoryParams,
        querystring: UsageHistoryQuery,
        response: { 200: ClinicUsageHistory, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      if (!(await clinicExists(app.db.owner, request.params.id))) throw notFound('Clinic');
      return clinicUsageHistory(app.db.owner, request.params.id, app.now(), request.query.months);
    },
  );

  // When to use: the create-clinic wizard checks a slug and code as they are typed.
  app.get(
    '/identity',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Whether a clinic slug and code are well-formed and not yet used',
        security,
        querystring: IdentityQuery,
        response: { 200: IdentityAvailability, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => identityAvailability(app.db.owner, request.query),
  );

  // When to use: label the clinics an audit page mentions, in one request.
  app.get(
    '/clinic-names',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Names and codes of up to 200 clinics, by id',
        security,
        querystring: ClinicNamesQuery,
        response: { 200: ClinicNames, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const ids = [...new Set(request.query.ids.toLowerCase().split(','))];
      return { clinics: await clinicNames(app.db.owner, ids) };
    },
  );
};
