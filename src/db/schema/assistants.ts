import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { BusinessHours } from '../../domain/hours.js';
import type { AssistantTool } from '../../providers/vapi/port.js';
import { organizations, users } from './accounts.js';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** What the business told us about itself; the prompt's managed sections are written from it. */
export const businessProfiles = pgTable('business_profiles', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  businessType: text('business_type'),
  businessDescription: text('business_description'),
  websiteUrl: text('website_url'),
  businessHours: jsonb('business_hours').$type<BusinessHours>().notNull().default({}),
  timezone: text('timezone').notNull().default('America/New_York'),
  businessAddress: text('business_address'),
  transferNumber: text('transfer_number'),
  transferMode: text('transfer_mode', { enum: ['blind', 'warm'] }).notNull().default('blind'),
  updatedAt: timestamps.updatedAt,
});

export const FIRST_MESSAGE_MODES = [
  'assistant-speaks-first',
  'assistant-waits-for-user',
  'assistant-speaks-first-with-model-generated-message',
] as const;
export type FirstMessageMode = (typeof FIRST_MESSAGE_MODES)[number];

export const ASSISTANT_STATUSES = ['ACTIVE', 'INACTIVE'] as const;


/** Our record of a VAPI assistant; VAPI is updated first, then this row (never half-applied). */
export const assistants = pgTable(
  'assistants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    vapiAssistantId: text('vapi_assistant_id').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: ASSISTANT_STATUSES }).notNull().default('ACTIVE'),
    systemPrompt: text('system_prompt').notNull().default(''),
    firstMessage: text('first_message'),
    firstMessageMode: text('first_message_mode', { enum: FIRST_MESSAGE_MODES }).notNull().default('assistant-speaks-first'),
    voiceId: text('voice_id'),
    voiceName: text('voice_name'),
    /** Inline tools on the model (transferCall, calendar functions), preserved across prompt edits. */
    tools: jsonb('tools').$type<AssistantTool[]>().notNull().default([]),
    /** Saved VAPI tools attached by id (the knowledge-base query tool). */
    toolIds: jsonb('tool_ids').$type<string[]>().notNull().default([]),
    /** The VAPI query tool over this assistant's knowledge-base files, once it has any. */
    kbToolId: text('kb_tool_id'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('assistants_vapi_assistant_id_key').on(t.vapiAssistantId),
    index('assistants_organization_idx').on(t.organizationId, t.createdAt),
  ],
);

/** Every prompt the assistant ever had: who changed it, when, and which section. */
export const promptVersions = pgTable(
  'prompt_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    assistantId: uuid('assistant_id')
      .notNull()
      .references(() => assistants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** A section key, or edit | restore | regenerate | initial. */
    reason: text('reason').notNull(),
    systemPrompt: text('system_prompt').notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [index('prompt_versions_assistant_idx').on(t.assistantId, t.createdAt)],
);

export type Assistant = typeof assistants.$inferSelect;
export type BusinessProfile = typeof businessProfiles.$inferSelect;
