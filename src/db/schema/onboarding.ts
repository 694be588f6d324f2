import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './accounts.js';

/** A page read from the business's website: its text feeds the `website` knowledge section. */
export interface WebsitePage {
  url: string;
  text: string;
  etag?: string | null;
  lastModified?: string | null;
}

/** The onboarding wizard's saved answers, the pages it read, and when it finished. */
export const onboardingStates = pgTable('onboarding_states', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  websiteUrl: text('website_url'),
  websitePages: jsonb('website_pages').$type<WebsitePage[]>().notNull().default([]),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
