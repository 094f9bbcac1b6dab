import { z } from 'zod';
import type { TenantTransaction } from '../../plugins/tenancy.plugin';

export const ClinicProfile = z.object({
  id: z.string().uuid(),
  code: z.string(),
  slug: z.string(),
  name: z.string(),
  address: z.string(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  phone: z.string(),
  email: z.string(),
  website: z.string(),
  registrationNumber: z.string(),
  letterheadHeader: z.string(),
  letterheadFooter: z.string(),
  timezone: z.string(),
  subscriptionStatus: z.enum(['trial', 'active', 'expired', 'suspended']),
});
export type ClinicProfile = z.infer<typeof ClinicProfile>;

/** The caller's clinic; row-level security would hide any other even if the id were wrong. */
export async function findOwnClinic(trx: TenantTransaction, clinicId: string): Promise<ClinicProfile | null> {
  const row = await trx.selectFrom('clinics').selectAll().where('id', '=', clinicId).executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    code: row.code,
    slug: row.slug,
    name: row.name,
    address: row.address,
    city: row.city,
    state: row.state,
    zip: row.zip,
    phone: row.phone,
    email: row.email,
    website: row.website,
    registrationNumber: row.registration_number,
    letterheadHeader: row.letterhead_header,
    letterheadFooter: row.letterhead_footer,
    timezone: row.timezone,
    subscriptionStatus: row.subscription_status,
  };
}
