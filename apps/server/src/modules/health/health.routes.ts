import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';

const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['up', 'down']),
  databaseKind: z.enum(['postgres', 'pglite']),
});

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  // When to use: load balancers and operators checking the process and its database are alive.
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness and database reachability',
        response: { 200: HealthResponse, 503: HealthResponse },
      },
    },
    async (_request, reply) => {
      const up = await sql`SELECT 1`
        .execute(app.db.owner)
        .then(() => true)
        .catch(() => false);
      const body = {
        status: up ? 'ok' : 'degraded',
        database: up ? 'up' : 'down',
        databaseKind: app.db.kind,
      } as const;
      return reply.status(up ? 200 : 503).send(body);
    },
  );
};
