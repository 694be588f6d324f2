import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations, users } from './accounts.js';
import { calls } from './calls.js';

export const FOLLOW_UP_STATUSES = ['open', 'done'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/**
 * A call someone should get back to (callback asked, urgent, or a voicemail). Written in
 * the same statement that stores the end-of-call report, once per call (the key).
 */
export const followUps = pgTable(
  'follow_ups',
  {
    callId: uuid('call_id')
      .primaryKey()
      .references(() => calls.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    status: text('status', { enum: FOLLOW_UP_STATUSES }).notNull().default('open'),
    /** Copied from the outcome so the inbox sorts urgent first without reading the call. */
    urgent: boolean('urgent').notNull().default(false),
    assignedTo: uuid('assigned_to').references(() => users.id, { onDelete: 'set null' }),
    assignedBy: uuid('assigned_by').references(() => users.id, { onDelete: 'set null' }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    doneBy: uuid('done_by').references(() => users.id, { onDelete: 'set null' }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    note: text('note'),
    reopenedBy: uuid('reopened_by').references(() => users.id, { onDelete: 'set null' }),
    reopenedAt: timestamp('reopened_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('follow_ups_inbox_idx').on(t.organizationId, t.status, t.urgent, t.createdAt, t.callId)],
);

export const NOTIFICATION_CHANNELS = ['email', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
/**
 * pending → sending (claimed, lease in next_attempt_at) → sent; failed attempts go back to
 * pending with a backoff until `dead`. An SMS whose send was interrupted (claimed, never
 * confirmed) becomes `unknown`, never resent: better one missed text than two.
 */
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'dead', 'unknown'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** The notification queue: one row per (call, user, channel), enqueued with the call. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    callId: uuid('call_id')
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: NOTIFICATION_CHANNELS }).notNull(),
    to: text('to').notNull(),
    status: text('status', { enum: NOTIFICATION_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    providerId: text('provider_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notifications_call_user_channel_key').on(t.callId, t.userId, t.channel),
    index('notifications_due_idx').on(t.nextAttemptAt).where(sql`status in ('pending', 'sending')`),
  ],
);

export type FollowUp = typeof followUps.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
