import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../lib/route-schemas';
import { AuditEvent, listClinicEvents } from '../audit/audit.repository';
import { ClinicAuditQuery } from './staff.schema';

/** The clinic's own audit trail (prefix `/v1/clinic/audit`), newest first, paged by `beforeSeq`. */
export const clinicAuditRoutes: FastifyPluginAsyncZod = async (app) => {
  // When to use: the clinic admin reviews who signed in, changed staff or devices, and when.
  app.get(
    '/',
    {
      config: { access: 'clinic.audit.read' },
      schema: {
        tags: ['clinic'],
        summary: "The clinic's audit log, newest first",
        security: [{ bearer: [] }],
        querystring: ClinicAuditQuery,
        response: {
          200: z.object({
            events: z.array(AuditEvent),
            nextBeforeSeq: z
              .number()
              .int()
              .nullable()
              .describe('Pass as beforeSeq for the next page; null at the end'),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const events = await app
        .tenantOf(request)
        .read((trx, clinicId) => listClinicEvents(trx, clinicId, request.query));
      const last = events.at(-1);
      return { events, nextBeforeSeq: events.length === request.query.limit && last ? last.seq : null };
    },
  );
};
