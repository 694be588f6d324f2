import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { preparedPerDb, type Db, type Tx } from '../../db/client.js';
import { assistants, businessProfiles, kbSections, organizations, phoneNumbers, promptVersions, type Assistant } from '../../db/schema/index.js';

type Conn = Db | Tx;

// Stryker disable next-line StringLiteral: the name only lets Postgres keep the plan; an unnamed statement answers the same
const ACTIVE_ASSISTANT_STATEMENT = 'active_assistant_of';
const activeAssistantOf = preparedPerDb((db) =>
  db
    .select()
    .from(assistants)
    .where(and(eq(assistants.organizationId, sql.placeholder('organizationId')), eq(assistants.status, 'ACTIVE')))
    .orderBy(asc(assistants.createdAt), asc(assistants.id))
    .limit(1)
    .prepare(ACTIVE_ASSISTANT_STATEMENT),
);

/** The assistant that answers the organization's phone: its oldest active one. */
export async function findActiveAssistant(db: Db, organizationId: string): Promise<Assistant | undefined> {
  const [row] = await activeAssistantOf(db).execute({ organizationId });
  return row;
}

export async function findAssistant(db: Conn, organizationId: string, id: string) {
  const [row] = await db
    .select()
    .from(assistants)
    .where(and(eq(assistants.organizationId, organizationId), eq(assistants.id, id)));
  return row;
}

export const listAssistants = (db: Conn, organizationId: string) =>
  db.select().from(assistants).where(eq(assistants.organizationId, organizationId)).orderBy(asc(assistants.createdAt));

export async function countAssistants(db: Conn, organizationId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(assistants)
    .where(eq(assistants.organizationId, organizationId));
  return row?.n ?? 0;
}

export async function insertAssistant(db: Conn, values: typeof assistants.$inferInsert) {
  const [row] = await db.insert(assistants).values(values).returning();
  return row!;
}

export async function updateAssistant(db: Conn, organizationId: string, id: string, patch: Partial<typeof assistants.$inferInsert>) {
  const [row] = await db
    .update(assistants)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(assistants.organizationId, organizationId), eq(assistants.id, id)))
    .returning();
  return row;
}

export async function deleteAssistant(db: Conn, organizationId: string, id: string) {
  await db.delete(assistants).where(and(eq(assistants.organizationId, organizationId), eq(assistants.id, id)));
}

export async function findOrganizationName(db: Conn, organizationId: string) {
  const [row] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, organizationId));
  return row?.name ?? '';
}

/** The profile, created empty on first read so every organization has one. */
export async function getProfile(db: Conn, organizationId: string) {
  const [existing] = await db.select().from(businessProfiles).where(eq(businessProfiles.organizationId, organizationId));
  if (existing) return existing;
  const [created] = await db
    .insert(businessProfiles)
    .values({ organizationId })
    .onConflictDoUpdate({ target: businessProfiles.organizationId, set: { organizationId } })
    .returning();
  return created!;
}

export async function updateProfile(db: Conn, organizationId: string, patch: Partial<typeof businessProfiles.$inferInsert>) {
  await getProfile(db, organizationId);
  const [row] = await db
    .update(businessProfiles)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(businessProfiles.organizationId, organizationId))
    .returning();
  return row!;
}

export async function insertPromptVersion(db: Conn, values: typeof promptVersions.$inferInsert) {
  await db.insert(promptVersions).values(values);
}

export const listPromptVersions = (db: Conn, organizationId: string, assistantId: string, limit: number) =>
  db
    .select()
    .from(promptVersions)
    .where(and(eq(promptVersions.organizationId, organizationId), eq(promptVersions.assistantId, assistantId)))
    .orderBy(desc(promptVersions.createdAt), desc(promptVersions.id))
    .limit(limit);

export async function findPromptVersion(db: Conn, organizationId: string, id: string) {
  const [row] = await db
    .select()
    .from(promptVersions)
    .where(and(eq(promptVersions.organizationId, organizationId), eq(promptVersions.id, id)));
  return row;
}

/** Assistants with their call counts, one grouped query. */
export async function listAssistantsWithCallCounts(db: Conn, organizationId: string) {
  return db
    .select({
      assistant: assistants,
      callCount: sql<number>`(select count(*)::int from "calls" c where c.assistant_id = "assistants"."id")`,
    })
    .from(assistants)
    .where(eq(assistants.organizationId, organizationId))
    .orderBy(asc(assistants.createdAt), asc(assistants.id));
}

/** The organization's phone number in E.164, null until one is provisioned. */
export async function findPhoneNumber(db: Conn, organizationId: string): Promise<string | null> {
  const [row] = await db.select({ number: phoneNumbers.number }).from(phoneNumbers).where(eq(phoneNumbers.organizationId, organizationId));
  return row?.number ?? null;
}

/** The assistant's knowledge-base section keys, in a stable order. */
export async function listKbKeys(db: Conn, assistantId: string) {
  const rows = await db.select({ key: kbSections.key }).from(kbSections).where(eq(kbSections.assistantId, assistantId)).orderBy(asc(kbSections.key));
  return rows.map((r) => r.key);
}
