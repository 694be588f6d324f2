import { boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './accounts.js';
import { calls } from './calls.js';

/**
 * The calls-and-texts workspace (issue 20). Its search needs a stored tsvector and an
 * ordering index on `calls` that Drizzle cannot declare here; both are created by hand at
 * the end of the migration `calls_workspace`:
 *   calls.search_vector  generated tsvector over summary + transcript, GIN-indexed;
 *   calls_organization_sort_idx on (organization_id, coalesce(started_at, created_at) desc, id desc).
 */

/** How long the office keeps transcripts and recordings, and whether PII is redacted. Null = keep. */
export const privacySettings = pgTable('privacy_settings', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  transcriptRetentionDays: integer('transcript_retention_days'),
  recordingRetentionDays: integer('recording_retention_days'),
  redactPii: boolean('redact_pii').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The text sent to a caller whose call ended before anyone spoke with them. Off until turned on. */
export const missedCallTextSettings = pgTable('missed_call_text_settings', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  enabled: boolean('enabled').notNull().default(false),
  message: text('message').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The last missed-call text per caller: claimed by one conditional upsert (insert, or update
 * only when the last one is 24 h old), so concurrent reports of the same call text once.
 */
export const missedCallTexts = pgTable(
  'missed_call_texts',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    callId: uuid('call_id').references(() => calls.id, { onDelete: 'set null' }),
    twilioSid: text('twilio_sid'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.number] })],
);

/** Numbers that texted STOP (or another opt-out word): no feature texts them until START. */
export const smsOptOuts = pgTable(
  'sms_opt_outs',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    optedOutAt: timestamp('opted_out_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.number] })],
);

/** How far each text thread has been read: inbound texts after `readThrough` are unread. */
export const smsThreadReads = pgTable(
  'sms_thread_reads',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    readThrough: timestamp('read_through', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.number] })],
);

export type PrivacySettings = typeof privacySettings.$inferSelect;
