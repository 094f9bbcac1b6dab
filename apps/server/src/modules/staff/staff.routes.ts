import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../lib/app-error';
import { errorResponses } from '../../lib/route-schemas';
import { findStaffRow, listStaff, toStaffMember } from './staff.repository';
import {
  CreateStaffBody,
  CreateStaffResponse,
  SetupLink,
  SetupPasswordBody,
  SetupPasswordResponse,
  StaffIdParams,
  StaffList,
  StaffMember,
  UpdateStaffBody,
} from './staff.schema';
import {
  createStaff,
  initialPasswordHash,
  redeemSetupToken,
  resetStaffAccess,
  setStaffActive,
  updateStaff,
} from './staff.service';

const security = [{ bearer: [] }];
const tags = ['staff'];

/**
 * A clinic admin's staff administration (prefix `/v1/clinic/staff`). The clinic always comes from
 * the verified token; writes take the clinic lock and are refused while the clinic is read-only.
 */
export const staffRoutes: FastifyPluginAsyncZod<{ publicUrl: string }> = async (app, opts) => {
  // When to use: the clinic admin's staff screen (everyone, active or not, with doctor details).
  app.get(
    '/',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags,
        summary: "The clinic's staff accounts",
        security,
        response: { 200: StaffList, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ staff: await app.tenantOf(request).read(listStaff) }),
  );

  // When to use: the admin adds a doctor, receptionist, lab technician or another admin.
  app.post(
    '/',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags,
        summary: 'Create a staff account (with an initial password, or get a one-time setup link)',
        security,
        body: CreateStaffBody,
        response: { 201: CreateStaffResponse, ...errorResponses(400, 401, 402, 403, 409) },
      },
    },
    async (request, reply) => {
      const scope = app.tenantOf(request);
      const passwordHash = await initialPasswordHash(request.body.password, request.body.username);
      const created = await scope.write((trx, clinicId) =>
        createStaff(trx, clinicId, scope.actor, request.body, {
          passwordHash,
          now: app.now(),
          publicUrl: opts.publicUrl,
        }),
      );
      return reply.status(201).send(created);
    },
  );

  // When to use: open one staff member's details.
  app.get(
    '/:id',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags,
        summary: 'One staff account',
        security,
        params: StaffIdParams,
        response: { 200: StaffMember, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = await app
        .tenantOf(request)
        .read((trx, clinicId) => findStaffRow(trx, clinicId, request.params.id));
      if (!row) throw notFound('Staff member');
      return toStaffMember(row);
    },
  );

  // When to use: correct a name, phone, e-mail, or a doctor's specialization and licence.
  app.patch(
    '/:id',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags,
        summary: "Edit a staff member's name, contact details or doctor profile",
        security,
        params: StaffIdParams,
        body: UpdateStaffBody,
        response: { 200: StaffMember, ...errorResponses(400, 401, 402, 403, 404, 409) },
      },
    },
    async (request) => {
      const scope = app.tenantOf(request);
      return scope.write((trx, clinicId) =>
        updateStaff(trx, clinicId, scope.actor, request.params.id, request.body, app.now()),
      );
    },
  );

  const setActive = (active: boolean) =>
    app.post(
      `/:id/${active ? 'reactivate' : 'deactivate'}`,
      {
        config: { access: 'staff.manage' },
        schema: {
          tags,
          summary: active
            ? 'Reactivate a staff account (counts against the plan limit again)'
            : 'Deactivate a staff account (their sessions end now)',
          security,
          params: StaffIdParams,
          response: { 200: StaffMember, ...errorResponses(400, 401, 402, 403, 404, 409) },
        },
      },
      async (request) => {
        const scope = app.tenantOf(request);
        return scope.write((trx, clinicId) =>
          setStaffActive(trx, clinicId, scope.actor, request.params.id, active, app.now()),
        );
      },
    );
  // When to use: someone leaves the clinic or must stop signing in.
  setActive(false);
  // When to use: someone returns; refused if the plan's limit for their role is reached.
  setActive(true);

  // When to use: a staff member forgot their password or their account may be compromised.
  app.post(
    '/:id/reset-access',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags,
        summary:
          "Reset a staff member's access: old password and sessions end, a new one-time link is returned",
        security,
        params: StaffIdParams,
        response: { 200: SetupLink, ...errorResponses(400, 401, 402, 403, 404) },
      },
    },
    async (request) => {
      const scope = app.tenantOf(request);
      return scope.write((trx, clinicId) =>
        resetStaffAccess(trx, clinicId, scope.actor, request.params.id, {
          now: app.now(),
          publicUrl: opts.publicUrl,
        }),
      );
    },
  );
};

/** Redeeming a one-time setup link (prefix `/v1/staff`): public, rate limited like login. */
export const staffSetupRoutes: FastifyPluginAsyncZod<{ rateLimitPerMinute: number }> = async (app, opts) => {
  // When to use: a new or reset staff member opens their setup link and chooses a password.
  app.post(
    '/setup-password',
    {
      config: { access: 'public', rateLimit: { max: opts.rateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Choose a password with a one-time setup link (single use, expires after 72 hours)',
        body: SetupPasswordBody,
        response: { 200: SetupPasswordResponse, ...errorResponses(400, 403, 429) },
      },
    },
    async (request) => redeemSetupToken({ db: app.db, now: app.now }, request.body, request.ip),
  );
};
