import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations, users } from './accounts.js';

export const SMS_DIRECTIONS = ['INBOUND', 'OUTBOUND'] as const;

/** Every SMS sent or received on the organization's number. */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: SMS_DIRECTIONS }).notNull(),
    twilioSid: text('twilio_sid').notNull(),
    from: text('from').notNull(),
    to: text('to').notNull(),
    body: text('body').notNull(),
    /** Twilio's status; only ever moves forward (a late "sent" never replaces "delivered"). */
    status: text('status').notNull(),
    errorCode: integer('error_code'),
    segments: integer('segments').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sms_messages_twilio_sid_key').on(t.twilioSid), index('sms_messages_organization_created_idx').on(t.organizationId, t.createdAt)],
);

export const A2P_STATUSES = [
  'NOT_STARTED',
  'BRAND_PENDING',
  'BRAND_APPROVED',
  'BRAND_FAILED',
  'CAMPAIGN_PENDING',
  'CAMPAIGN_APPROVED',
  'CAMPAIGN_FAILED',
] as const;
export type A2pStatus = (typeof A2P_STATUSES)[number];

/** The organization's A2P 10DLC registration: its state machine and what Twilio gave back. */
export const a2pRegistrations = pgTable('a2p_registrations', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  status: text('status', { enum: A2P_STATUSES }).notNull().default('NOT_STARTED'),
  paidAt: timestamp('paid_at', { withTimezone: true }),
  checkoutSessionId: text('checkout_session_id'),
  brandType: text('brand_type'),
  businessInfo: jsonb('business_info').$type<Record<string, unknown>>(),
  representativeInfo: jsonb('representative_info').$type<Record<string, unknown>>(),
  campaignInfo: jsonb('campaign_info').$type<Record<string, unknown>>(),
  brandSid: text('brand_sid'),
  messagingServiceSid: text('messaging_service_sid'),
  campaignSid: text('campaign_sid'),
  failureReason: text('failure_reason'),
  smsUsed: integer('sms_used').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Embed tokens for the click-to-call widget (`ept_…`): shown once, stored as SHA-256. */
export const embedTokens = pgTable(
  'embed_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    label: text('label').notNull(),
    tokenPrefix: text('token_prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** Exact hosts or `*.example.com` wildcards; the browser's Origin must match one. */
    allowedDomains: jsonb('allowed_domains').$type<string[]>().notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('embed_tokens_token_hash_key').on(t.tokenHash), index('embed_tokens_organization_idx').on(t.organizationId)],
);

/** Browser and widget calls through Twilio Client (the leg before VAPI answers), by CallSid. */
export const clientCalls = pgTable(
  'client_calls',
  {
    callSid: text('call_sid').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** The Twilio Client identity: org_<id>:user_<id> or org_<id>:widget_<id>. */
    identity: text('identity').notNull(),
    to: text('to').notNull(),
    /** Twilio's CallStatus, moved forward only. */
    status: text('status').notNull(),
    durationSeconds: integer('duration_seconds'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('client_calls_organization_idx').on(t.organizationId, t.createdAt)],
);
