import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../lib/route-schemas';
import { UsageReport } from './capacity.schema';
import { usageReport } from './capacity.service';

/** A clinic's usage against its plan's limits, for every signed-in clinic user. */
export const capacityRoutes: FastifyPluginAsyncZod = async (app) => {
  // When to use: the admin dashboard or a create screen shows "8 of 10 doctors" before a create.
  app.get(
    '/',
    {
      config: { access: 'clinic' },
      schema: {
        tags: ['clinic'],
        summary: "The clinic's limits, current usage and human-readable usage lines",
        security: [{ bearer: [] }],
        response: { 200: UsageReport, ...errorResponses(401, 403) },
      },
    },
    async (request) => app.tenantOf(request).read(usageReport),
  );
};
