import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './accounts.js';

/** A connected Cal.com account: the key AES-256-GCM encrypted, with the id of the key that did it. */
export const calendarConnections = pgTable('calendar_connections', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  provider: text('provider', { enum: ['CAL_COM'] }).notNull().default('CAL_COM'),
  encryptedApiKey: text('encrypted_api_key').notNull(),
  /** Which ENCRYPTION_KEY sealed it (a fingerprint), so keys can be rotated. */
  encryptionKeyId: text('encryption_key_id').notNull(),
  eventTypeId: integer('event_type_id').notNull(),
  accountEmail: text('account_email'),
  connectedAt: timestamp('connected_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Appointments the assistant booked during calls. */
export const bookings = pgTable(
  'bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    vapiCallId: text('vapi_call_id'),
    externalUid: text('external_uid').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    attendeeName: text('attendee_name').notNull(),
    attendeePhone: text('attendee_phone'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('bookings_organization_created_idx').on(t.organizationId, t.createdAt)],
);
