import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * State of the provider emulators (SANDBOX=1). One document table shared by all
 * emulators: they are stand-ins for outside services, not part of our domain model.
 */
export const sandboxResources = pgTable(
  'sandbox_resources',
  {
    service: text('service').notNull(),
    kind: text('kind').notNull(),
    id: text('id').notNull(),
    /** The owning account/key on the emulated service, for list and scoping. */
    owner: text('owner').notNull().default(''),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.service, t.kind, t.id] }),
    index('sandbox_resources_owner_idx').on(t.service, t.kind, t.owner, t.createdAt),
  ],
);

/** Idempotency-Key replay store for emulators of services that honor it (Stripe). */
export const sandboxIdempotency = pgTable(
  'sandbox_idempotency',
  {
    service: text('service').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: text('status').notNull(),
    response: jsonb('response').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.service, t.key] })],
);
