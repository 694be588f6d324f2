import { jsonb, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './accounts.js';

export interface ProvisioningError {
  step: string;
  message: string;
  at: string;
}

/**
 * Where an organization's provisioning stands: each finished step's output, saved the
 * moment it succeeds, so a retry resumes after the last one instead of buying twice.
 */
export const provisioningState = pgTable('provisioning_state', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  steps: jsonb('steps').$type<Record<string, Record<string, unknown>>>().notNull().default({}),
  errors: jsonb('errors').$type<ProvisioningError[]>().notNull().default([]),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
