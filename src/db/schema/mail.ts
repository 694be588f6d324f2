import { index, pgTable, uniqueIndex, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Every mail we send; in sandbox mode this table is the mailbox. */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    /** Set by senders that must never mail twice (a retried notification): the second insert is refused. */
    dedupeKey: text('dedupe_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set once the SMTP server accepted it; null in the sandbox. */
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('mail_outbox_to_idx').on(t.to, t.createdAt), uniqueIndex('mail_outbox_dedupe_key').on(t.dedupeKey)],
);
