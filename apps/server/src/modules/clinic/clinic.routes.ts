import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../lib/app-error';
import { ClinicProfile, findOwnClinic } from './clinic.repository';

/** A clinic user's view of their own clinic. The clinic always comes from the verified token. */
export const clinicRoutes: FastifyPluginAsyncZod = async (app) => {
  // When to use: any clinic screen that shows the clinic's name, letterhead or subscription state.
  app.get(
    '/',
    {
      config: { access: 'clinic' },
      schema: {
        tags: ['clinic'],
        summary: "The caller's own clinic profile",
        security: [{ bearer: [] }],
        response: { 200: ClinicProfile },
      },
    },
    async (request) => {
      const clinic = await app.tenantOf(request).read(findOwnClinic);
      if (!clinic) throw notFound('Clinic');
      return clinic;
    },
  );
};
