import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../lib/route-schemas';
import { callerOf } from '../../plugins/auth.plugin';
import { actorOf } from '../../plugins/tenancy.plugin';
import { listPlatformEvents } from '../audit/audit.repository';
import { Device } from '../devices/devices.schema';
import { SetupLink, StaffList } from '../staff/staff.schema';
import {
  ActiveBody,
  AuditPage,
  AuditVerification,
  ClinicDetail,
  ClinicDeviceParams,
  ClinicIdParams,
  ClinicList,
  ClinicListQuery,
  ClinicUserParams,
  CreateClinicBody,
  CreateClinicResponse,
  PlatformAuditQuery,
  StatusBody,
  UpdateClinicBody,
} from './admin.schema';
import {
  type AdminDeps,
  createClinic,
  getClinic,
  listClinicDevices,
  listClinics,
  listClinicUsers,
  resetClinicAdminAccess,
  revokeClinicDevice,
  setClinicActive,
  setClinicStatus,
  updateClinic,
  verifyAuditChains,
} from './admin.service';

const access = 'platform.manage' as const;
const security = [{ bearer: [] }];
const tags = ['admin'];

/**
 * The super-admin router (prefix `/v1/admin`): every route needs `platform.manage`, every read and
 * write goes through the owner connection, and every change is recorded in the platform audit
 * chain (and, when it is about a clinic, in that clinic's chain too). No patient data is reachable.
 */
export const adminRoutes: FastifyPluginAsyncZod<{ publicUrl: string }> = async (app, opts) => {
  const deps: AdminDeps = { db: app.db, now: app.now, publicUrl: opts.publicUrl };

  // When to use: onboarding a new clinic; hand the returned setup link to its admin.
  app.post(
    '/clinics',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Create a clinic and its first admin (who gets a one-time setup link, no password)',
        security,
        body: CreateClinicBody,
        response: { 201: CreateClinicResponse, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const created = await createClinic(deps, actorOf(callerOf(request)), request.body);
      return reply.status(201).send(created);
    },
  );

  // When to use: the console's clinic list (status, plan, usage against limits, last sync).
  app.get(
    '/clinics',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Clinics with status, usage against limits and last sync; filtered, sorted, paged',
        security,
        querystring: ClinicListQuery,
        response: { 200: ClinicList, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listClinics(deps, request.query),
  );

  // When to use: the console's clinic page.
  app.get(
    '/clinics/:id',
    {
      config: { access },
      schema: {
        tags,
        summary: 'One clinic: profile, subscription, usage, last sync and status history',
        security,
        params: ClinicIdParams,
        response: { 200: ClinicDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getClinic(deps, request.params.id),
  );

  // When to use: edit a clinic's profile, letterhead, logo, plan, limits, trial end or paid-until date.
  app.patch(
    '/clinics/:id',
    {
      config: { access },
      schema: {
        tags,
        summary: "Edit a clinic's profile, plan, limits or subscription dates",
        security,
        params: ClinicIdParams,
        body: UpdateClinicBody,
        response: { 200: ClinicDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => updateClinic(deps, actorOf(callerOf(request)), request.params.id, request.body),
  );

  // When to use: a payment arrived (active), a trial or plan lapsed (expired), or abuse (suspended).
  app.post(
    '/clinics/:id/status',
    {
      config: { access },
      schema: {
        tags,
        summary: "Change a clinic's subscription status (suspending ends every session)",
        security,
        params: ClinicIdParams,
        body: StatusBody,
        response: { 200: ClinicDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => setClinicStatus(deps, actorOf(callerOf(request)), request.params.id, request.body),
  );

  // When to use: close a clinic's account (no login, no sync) or reopen it.
  app.post(
    '/clinics/:id/active',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Deactivate (sessions end) or reactivate a clinic',
        security,
        params: ClinicIdParams,
        body: ActiveBody,
        response: { 200: ClinicDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => setClinicActive(deps, actorOf(callerOf(request)), request.params.id, request.body),
  );

  // When to use: support looks up who works at a clinic.
  app.get(
    '/clinics/:id/users',
    {
      config: { access },
      schema: {
        tags,
        summary: "A clinic's staff accounts",
        security,
        params: ClinicIdParams,
        response: { 200: StaffList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ staff: await listClinicUsers(deps, request.params.id) }),
  );

  // When to use: a clinic admin is locked out or their account may be compromised.
  app.post(
    '/clinics/:id/users/:userId/reset-access',
    {
      config: { access },
      schema: {
        tags,
        summary:
          "Reset a clinic admin's access: old password and sessions end, a new one-time link is returned",
        security,
        params: ClinicUserParams,
        response: {
          200: SetupLink.extend({ username: z.string() }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) =>
      resetClinicAdminAccess(deps, actorOf(callerOf(request)), request.params.id, request.params.userId),
  );

  // When to use: sync health of a clinic (which devices, their status and last sync).
  app.get(
    '/clinics/:id/devices',
    {
      config: { access },
      schema: {
        tags,
        summary: "A clinic's devices",
        security,
        params: ClinicIdParams,
        response: { 200: z.object({ devices: z.array(Device) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ devices: await listClinicDevices(deps, request.params.id) }),
  );

  // When to use: a clinic reports a stolen PC and its admin cannot sign in to revoke it.
  app.post(
    '/clinics/:id/devices/:deviceId/revoke',
    {
      config: { access },
      schema: {
        tags,
        summary: "Revoke a clinic's device (its sessions end now)",
        security,
        params: ClinicDeviceParams,
        response: { 200: Device, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      revokeClinicDevice(deps, actorOf(callerOf(request)), request.params.id, request.params.deviceId),
  );

  // When to use: the console's platform audit log, optionally about one clinic or one kind of action.
  app.get(
    '/audit',
    {
      config: { access },
      schema: {
        tags,
        summary: 'The platform audit log, newest first',
        security,
        querystring: PlatformAuditQuery,
        response: { 200: AuditPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const events = await listPlatformEvents(app.db.owner, request.query);
      const last = events.at(-1);
      return { events, nextBeforeSeq: events.length === request.query.limit && last ? last.seq : null };
    },
  );

  // When to use: check that no audit event of any chain has been altered or removed.
  app.get(
    '/audit/verify',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Verify every audit hash chain (platform and each clinic)',
        security,
        response: { 200: AuditVerification, ...errorResponses(401, 403) },
      },
    },
    async () => verifyAuditChains(deps),
  );
};
