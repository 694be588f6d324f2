import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './accounts.js';
import { assistants } from './assistants.js';

/** One knowledge-base section of an assistant: its text, and the Markdown file VAPI searches. */
export const kbSections = pgTable(
  'kb_sections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    assistantId: uuid('assistant_id')
      .notNull()
      .references(() => assistants.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    text: text('text').notNull(),
    vapiFileId: text('vapi_file_id'),
    fileName: text('file_name').notNull(),
    /** Where the text came from when it was uploaded: the original file's name and size. */
    sourceFileName: text('source_file_name'),
    sourceFileSize: integer('source_file_size'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kb_sections_assistant_key').on(t.assistantId, t.key), index('kb_sections_organization_idx').on(t.organizationId)],
);

export type KbSection = typeof kbSections.$inferSelect;
