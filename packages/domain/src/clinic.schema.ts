/**
 * A clinic (the tenant). Not tenant-scoped itself: its `id` is the `clinicId` of everything else.
 * Profile fields are edited by the clinic admin; subscription fields and limits only by super
 * admins. Both change online through REST and reach devices through pull.
 */
import { z } from 'zod';
import { isValidTimeZone } from './calendar-date';
import {
  Email,
  HttpUrl,
  IsoDateTime,
  optionalText,
  orNull,
  requiredText,
  Uuid,
  Version,
} from './common.schema';
import { Phone } from './phone';
import { entityPatch } from './sync-columns.schema';

/** Short clinic code used inside patient codes: 2–8 uppercase letters or digits. */
export const ClinicCode = z
  .string()
  .regex(/^[A-Z0-9]{2,8}$/, 'Clinic code is 2–8 uppercase letters or digits');
export type ClinicCode = z.infer<typeof ClinicCode>;

/** URL-safe clinic name used at login: 3–63 lowercase letters, digits and inner hyphens. */
export const ClinicSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, 'Slug is 3–63 lowercase letters, digits or hyphens');

/** Subscription states; see `subscriptionAccess` for what each allows. */
export const SubscriptionStatus = z.enum(['trial', 'active', 'expired', 'suspended']);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

/** IANA time zone name. */
export const TimeZone = z.string().refine(isValidTimeZone, 'Unknown time zone');

const DATA_URL_IMAGE = /^data:image\/(png|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;

/** A logo: an http(s) URL or an inline image data URL (at most about 1 MB). */
export const LogoRef = z
  .string()
  .max(1_400_000)
  .refine(
    (value) => DATA_URL_IMAGE.test(value) || HttpUrl.safeParse(value).success,
    'Logo must be a URL or image data URL',
  );

/** A capacity limit: a count, or `null` for unlimited. */
export const CapacityLimit = z.number().int().min(0).nullable();

/** Fields a clinic admin may edit: profile, contact details, letterhead and time zone. */
export const clinicProfileFields = {
  name: requiredText(200),
  logo: orNull(LogoRef),
  address: optionalText(500),
  city: optionalText(100),
  state: optionalText(100),
  zip: orNull(z.string().regex(/^[A-Za-z0-9 -]{3,10}$/, 'Postal code is 3–10 letters or digits')),
  phone: orNull(Phone),
  email: orNull(Email),
  website: orNull(HttpUrl),
  registrationNumber: optionalText(100),
  letterheadHeader: optionalText(2000),
  letterheadFooter: optionalText(2000),
  timezone: TimeZone.default('Asia/Kolkata'),
};

/** Fields only a super admin may edit: subscription, plan, limits and the active flag. */
export const clinicSubscriptionFields = {
  subscriptionStatus: SubscriptionStatus.default('trial'),
  trialEndsAt: orNull(IsoDateTime),
  paidUntil: orNull(IsoDateTime),
  plan: optionalText(50),
  maxPatients: CapacityLimit.default(null),
  maxDoctors: CapacityLimit.default(null),
  maxReceptionists: CapacityLimit.default(null),
  maxLabTechs: CapacityLimit.default(null),
  isActive: z.boolean().default(true),
};

/** A clinic as stored by the server and pulled by its devices. */
export const Clinic = z.object({
  id: Uuid,
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  deletedAt: IsoDateTime.nullable(),
  code: ClinicCode,
  slug: ClinicSlug,
  ...clinicProfileFields,
  ...clinicSubscriptionFields,
});
export type Clinic = z.infer<typeof Clinic>;

/** A super admin's request to create a clinic; the server assigns the id. */
export const ClinicInput = z
  .object({ code: ClinicCode, slug: ClinicSlug, ...clinicProfileFields, ...clinicSubscriptionFields })
  .strict();
export type ClinicInput = z.input<typeof ClinicInput>;

/** A clinic admin's edit of the clinic profile. */
export const ClinicProfilePatch = entityPatch(clinicProfileFields);
export type ClinicProfilePatch = z.infer<typeof ClinicProfilePatch>;

/** A super admin's edit of subscription, plan, limits or the active flag. */
export const ClinicSubscriptionPatch = entityPatch(clinicSubscriptionFields);
export type ClinicSubscriptionPatch = z.infer<typeof ClinicSubscriptionPatch>;
