import { sql } from 'drizzle-orm';
import { boolean, date, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations, users } from './accounts.js';

export const NOTIFY_TRIGGERS = ['every_call', 'follow_up_only', 'off'] as const;
export type NotifyTrigger = (typeof NOTIFY_TRIGGERS)[number];

/** Per-user settings that are not the account itself (opt-ins). A missing row means every default. */
export const userPreferences = pgTable('user_preferences', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  organizationId: uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  /** The 7 AM email about yesterday's calls; off until the user turns it on. */
  dailyDigest: boolean('daily_digest').notNull().default(false),
  /**
   * Instant notifications after a call. Null is the default: owners get an email for calls
   * that need a follow-up, everyone else nothing until they opt in.
   */
  notifyEmail: boolean('notify_email'),
  notifySms: boolean('notify_sms').notNull().default(false),
  smsNumber: text('sms_number'),
  notifyTrigger: text('notify_trigger', { enum: NOTIFY_TRIGGERS }),
  /** 'HH:MM' in the organization's time zone; SMS wait for the end, email goes at once. */
  quietStart: text('quiet_start'),
  quietEnd: text('quiet_end'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row per digest mail sent: the primary key (user, day) is claimed by an insert that
 * ignores conflicts before the mail goes out, so two instances never send the same day twice.
 */
export const digestDeliveries = pgTable(
  'digest_deliveries',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The business-local day the digest is about. */
    digestDate: date('digest_date').notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.digestDate] }), index('digest_deliveries_organization_idx').on(t.organizationId, t.digestDate)],
);

/** Callers the business refuses: rejected at assistant-request and never billed. E.164. */
export const blockedNumbers = pgTable(
  'blocked_numbers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    reason: text('reason'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('blocked_numbers_organization_number_key').on(t.organizationId, t.number)],
);

export const AFTER_HOURS_MODES = ['take-message', 'transfer-anyway', 'book-only'] as const;
export type AfterHoursMode = (typeof AFTER_HOURS_MODES)[number];

/**
 * How calls are handled beyond the business facts: what to do outside opening hours and
 * which languages the assistant speaks. Written into the prompt's hours and persona sections.
 */
export const callHandlingSettings = pgTable('call_handling_settings', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  /** Null until the business chooses: the prompt then says nothing beyond its hours. */
  afterHours: text('after_hours', { enum: AFTER_HOURS_MODES }),
  /** ISO 639-1 codes, the first one the default. */
  languages: jsonb('languages').$type<string[]>().notNull().default(sql`'["en"]'::jsonb`),
  /** Outbound calls: listen for an answering machine, and leave this message on one. */
  voicemailDetection: boolean('voicemail_detection').notNull().default(false),
  voicemailMessage: text('voicemail_message'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// Analytics also relies on an index of the calls table, which Drizzle can only declare in
// calls.ts: calls_organization_started_idx on (organization_id, started_at) INCLUDE
// (duration_seconds, ended_reason, customer_number), so one organization's calls over a range
// are an index-only scan. It is created by hand at the end of migration 0011_insights.sql.

export type BlockedNumber = typeof blockedNumbers.$inferSelect;
export type CallHandlingSettings = typeof callHandlingSettings.$inferSelect;
