import { sql } from 'kysely';
import type { Migration, UntypedKysely } from '../migration.runner';

// Frozen: the outbox, the rejection inbox and sync bookkeeping as of the first release.
export const syncTables: Migration = {
  name: '20261128040000-sync-tables',
  async up(db: UntypedKysely) {
    await db.schema
      .createTable('meta')
      .addColumn('key', 'text', (col) => col.primaryKey())
      .addColumn('value', 'text', (col) => col.notNull())
      .modifyEnd(sql`strict`)
      .execute();

    await db.schema
      .createTable('outbox')
      .addColumn('group_id', 'text', (col) => col.primaryKey().check(sql`length(group_id) = 36`))
      .addColumn('seq', 'integer', (col) => col.notNull().unique().check(sql`seq >= 1`))
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('ops', 'text', (col) =>
        col.notNull().check(sql`json_valid(ops) and json_type(ops) = 'array'`),
      )
      .addColumn('status', 'text', (col) =>
        col.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent')`),
      )
      .modifyEnd(sql`strict`)
      .execute();

    await db.schema
      .createTable('sync_inbox')
      .addColumn('group_id', 'text', (col) => col.primaryKey().check(sql`length(group_id) = 36`))
      .addColumn('seq', 'integer', (col) => col.notNull().unique())
      .addColumn('code', 'text', (col) => col.notNull())
      .addColumn('message', 'text', (col) => col.notNull())
      .addColumn('ops', 'text', (col) =>
        col.notNull().check(sql`json_valid(ops) and json_type(ops) = 'array'`),
      )
      .addColumn('received_at', 'text', (col) => col.notNull())
      .addColumn('resolved_at', 'text')
      .modifyEnd(sql`strict`)
      .execute();

    await db.schema
      .createTable('sync_state')
      .addColumn('id', 'integer', (col) => col.primaryKey().check(sql`id = 1`))
      .addColumn('last_seq', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('acked_seq', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('pull_cursor', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('last_push_at', 'text')
      .addColumn('last_pull_at', 'text')
      .modifyEnd(sql`strict`)
      .execute();
    await sql`insert into sync_state (id) values (1)`.execute(db);
  },
};
