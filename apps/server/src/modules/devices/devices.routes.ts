import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../lib/app-error';
import { errorResponses } from '../../lib/route-schemas';
import { hashSecret, randomSecret, secretMatches } from '../../lib/secrets';
import { inClinic } from '../../plugins/tenancy.plugin';
import { recordClinicEvent } from '../audit/audit.repository';
import { revokeSessions } from '../auth/auth.service';
import { countPending, findDevice, listDevices, toDevice } from './devices.repository';
import {
  Device,
  DeviceIdParams,
  DeviceStatusResponse,
  RegisterDeviceBody,
  RegisterDeviceResponse,
  RenameDeviceBody,
} from './devices.schema';

const MAX_PENDING_DEVICES = 20;
const security = [{ bearer: [] }];

/**
 * Devices: a desktop registers itself (pending), a clinic admin approves, renames or revokes it.
 * Revoking a device ends its sessions at once, so it can no longer sync.
 */
export const devicesRoutes: FastifyPluginAsyncZod = async (app) => {
  // When to use: a new desktop install asks to join a clinic; it keeps the returned secret.
  app.post(
    '/',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['devices'],
        summary: 'Register this device with a clinic (pending until an admin approves)',
        body: RegisterDeviceBody,
        response: { 201: RegisterDeviceResponse, ...errorResponses(400, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const clinic = await app.db.owner
        .selectFrom('clinics')
        .select(['id', 'is_active', 'subscription_status'])
        .where('slug', '=', request.body.clinicSlug)
        .executeTakeFirst();
      if (!clinic?.is_active || clinic.subscription_status === 'suspended') throw notFound('Clinic');
      const secret = randomSecret();
      const id = randomUUID();
      await inClinic(
        app.db.app,
        clinic.id,
        async (trx, clinicId) => {
          if ((await countPending(trx, clinicId)) >= MAX_PENDING_DEVICES) {
            throw new AppError(
              'CONFLICT',
              'Too many devices are waiting for approval; ask your clinic admin',
            );
          }
          await trx
            .insertInto('devices')
            .values({
              clinic_id: clinicId,
              id,
              name: request.body.name,
              platform: request.body.platform,
              app_version: request.body.appVersion,
              secret_hash: hashSecret(secret),
              approved_by: null,
            })
            .execute();
          await recordClinicEvent(
            trx,
            clinicId,
            { type: 'device', id: null, role: null, deviceId: id },
            {
              action: 'device.registered',
              entity: 'device',
              entityId: id,
              details: { name: request.body.name, platform: request.body.platform, ip: request.ip },
            },
          );
        },
        { lock: true },
      );
      return reply.status(201).send({ deviceId: id, deviceSecret: secret, status: 'pending' as const });
    },
  );

  // When to use: a waiting device polls whether an admin has approved it (proves itself with its secret).
  app.get(
    '/:id/status',
    {
      config: { access: 'public' },
      schema: {
        tags: ['devices'],
        summary: "A device's own approval status",
        params: DeviceIdParams,
        querystring: z.object({ clinicSlug: z.string().min(2).max(63) }).strict(),
        headers: z.object({ 'x-device-secret': z.string().min(16).max(128) }),
        response: { 200: DeviceStatusResponse, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const clinic = await app.db.owner
        .selectFrom('clinics')
        .select('id')
        .where('slug', '=', request.query.clinicSlug)
        .executeTakeFirst();
      if (!clinic) throw notFound('Device');
      const device = await inClinic(app.db.app, clinic.id, (trx, clinicId) =>
        findDevice(trx, clinicId, request.params.id),
      );
      if (!device?.secret_hash || !secretMatches(request.headers['x-device-secret'], device.secret_hash)) {
        throw notFound('Device');
      }
      return { status: device.status };
    },
  );

  // When to use: the clinic admin's device list (status, last sync, app version).
  app.get(
    '/',
    {
      config: { access: 'device.manage' },
      schema: {
        tags: ['devices'],
        summary: "The clinic's devices",
        security,
        response: { 200: z.object({ devices: z.array(Device) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ devices: await app.tenantOf(request).read(listDevices) }),
  );

  const changeStatus = (action: 'approve' | 'revoke') =>
    app.post(
      `/:id/${action}`,
      {
        config: { access: 'device.manage' },
        schema: {
          tags: ['devices'],
          summary:
            action === 'approve' ? 'Approve a pending device' : 'Revoke a device (its sessions end now)',
          security,
          params: DeviceIdParams,
          response: { 200: Device, ...errorResponses(401, 402, 403, 404, 409) },
        },
      },
      async (request) => {
        const scope = app.tenantOf(request);
        return scope.write(async (trx, clinicId) => {
          const device = await findDevice(trx, clinicId, request.params.id);
          if (!device) throw notFound('Device');
          if (action === 'approve' && device.status === 'revoked') {
            throw new AppError('CONFLICT', 'A revoked device cannot be approved again; register it anew');
          }
          const now = app.now();
          const updated = await trx
            .updateTable('devices')
            .set(
              action === 'approve'
                ? { status: 'approved', approved_at: now, approved_by: scope.actor.id, updated_at: now }
                : { status: 'revoked', revoked_at: now, updated_at: now },
            )
            .where('clinic_id', '=', clinicId)
            .where('id', '=', device.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          if (action === 'revoke')
            await revokeSessions(trx, clinicId, { deviceId: device.id }, 'device_revoked');
          await recordClinicEvent(trx, clinicId, scope.actor, {
            action: action === 'approve' ? 'device.approved' : 'device.revoked',
            entity: 'device',
            entityId: device.id,
          });
          return toDevice(updated);
        });
      },
    );
  // When to use: a clinic admin lets a registered device sync.
  changeStatus('approve');
  // When to use: a PC is lost, sold or replaced.
  changeStatus('revoke');

  // When to use: give a device a recognisable name ("Reception PC 2").
  app.patch(
    '/:id',
    {
      config: { access: 'device.manage' },
      schema: {
        tags: ['devices'],
        summary: 'Rename a device',
        security,
        params: DeviceIdParams,
        body: RenameDeviceBody,
        response: { 200: Device, ...errorResponses(400, 401, 402, 403, 404) },
      },
    },
    async (request) => {
      const scope = app.tenantOf(request);
      return scope.write(async (trx, clinicId) => {
        const updated = await trx
          .updateTable('devices')
          .set({ name: request.body.name, updated_at: app.now() })
          .where('clinic_id', '=', clinicId)
          .where('id', '=', request.params.id)
          .where('deleted_at', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (!updated) throw notFound('Device');
        await recordClinicEvent(trx, clinicId, scope.actor, {
          action: 'device.renamed',
          entity: 'device',
          entityId: updated.id,
          details: { name: request.body.name },
        });
        return toDevice(updated);
      });
    },
  );
};
