import type { Kysely } from 'kysely';

/**
 * A super admin's authenticator code works once: `totp_last_step` is the 30-second time step of the
 * last code accepted, and a sign-in must present a code of a later step.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and use Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('platform_admins').addColumn('totp_last_step', 'bigint').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and use Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('platform_admins').dropColumn('totp_last_step').execute();
}
