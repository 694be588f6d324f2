import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { CallOutcome } from '../../domain/call-outcome.js';
import { organizations } from './accounts.js';
import { assistants } from './assistants.js';

export const CALL_STATUSES = ['QUEUED', 'RINGING', 'IN_PROGRESS', 'FORWARDING', 'COMPLETED', 'FAILED'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/**
 * One phone or web call. Written by the VAPI webhook and by the sync-calls job, both
 * keyed on vapi_call_id, so either may arrive first and neither duplicates the row.
 */
export const calls = pgTable(
  'calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    assistantId: uuid('assistant_id').references(() => assistants.id, { onDelete: 'set null' }),
    vapiCallId: text('vapi_call_id').notNull(),
    /** inboundPhoneCall | outboundPhoneCall | webCall, as VAPI names them. */
    type: text('type').notNull().default('inboundPhoneCall'),
    status: text('status', { enum: CALL_STATUSES }).notNull().default('QUEUED'),
    customerNumber: text('customer_number'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** endedAt − startedAt in whole seconds; VAPI sends no duration. */
    durationSeconds: integer('duration_seconds'),
    endedReason: text('ended_reason'),
    transcript: text('transcript'),
    summary: text('summary'),
    recordingUrl: text('recording_url'),
    messages: jsonb('messages').$type<Array<Record<string, unknown>>>(),
    costCents: integer('cost_cents'),
    /** The end-of-call analysis' structured data, validated (domain/call-outcome); null when absent. */
    outcome: jsonb('outcome').$type<CallOutcome>(),
    /** When the call's seconds were counted (once); the cycle's usage is the sum over this. */
    usageCountedAt: timestamp('usage_counted_at', { withTimezone: true }),
    /** The store attempt that claimed the minutes: lets one upsert both claim and say it did. */
    usageClaim: uuid('usage_claim'),
    /** When retention deleted VAPI's copy of the call (transcript, recording, artifacts) too. */
    vapiDeletedAt: timestamp('vapi_deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('calls_vapi_call_id_key').on(t.vapiCallId),
    index('calls_organization_created_idx').on(t.organizationId, t.createdAt, t.id),
    index('calls_assistant_idx').on(t.assistantId),
    index('calls_usage_idx').on(t.organizationId, t.usageCountedAt),
  ],
);

/** Each provider event once: the primary key is the de-duplication, not a prior SELECT. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    provider: text('provider').notNull(),
    eventKey: text('event_key').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventKey] })],
);

export type Call = typeof calls.$inferSelect;

/** The organization's phone number: bought on Twilio, imported into VAPI. One per organization. */
export const phoneNumbers = pgTable(
  'phone_numbers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    twilioPhoneNumberSid: text('twilio_phone_number_sid').notNull(),
    vapiPhoneNumberId: text('vapi_phone_number_id'),
    sipTrunkSid: text('sip_trunk_sid'),
    locality: text('locality'),
    region: text('region'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('phone_numbers_organization_key').on(t.organizationId), uniqueIndex('phone_numbers_number_key').on(t.number)],
);

export type PhoneNumber = typeof phoneNumbers.$inferSelect;
