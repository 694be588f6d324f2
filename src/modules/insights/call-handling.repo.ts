import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { callHandlingSettings, type AfterHoursMode } from '../../db/schema/index.js';

type Conn = Db | Tx;

export const DEFAULT_LANGUAGES = ['en'];

export async function getCallHandling(db: Conn, organizationId: string) {
  const [row] = await db
    .select({ afterHours: callHandlingSettings.afterHours, languages: callHandlingSettings.languages })
    .from(callHandlingSettings)
    .where(eq(callHandlingSettings.organizationId, organizationId));
  return row ?? { afterHours: null, languages: DEFAULT_LANGUAGES };
}

/** What the prompt's hours and persona sections need from these settings (see promptFacts). */
export async function callHandlingFacts(db: Conn, organizationId: string) {
  const { afterHours, languages } = await getCallHandling(db, organizationId);
  return { afterHours, languages };
}

export async function getVoicemail(db: Conn, organizationId: string) {
  const [row] = await db
    .select({ enabled: callHandlingSettings.voicemailDetection, message: callHandlingSettings.voicemailMessage })
    .from(callHandlingSettings)
    .where(eq(callHandlingSettings.organizationId, organizationId));
  return row ?? { enabled: false, message: null };
}

export async function upsertCallHandling(
  db: Conn,
  organizationId: string,
  patch: { afterHours?: AfterHoursMode; languages?: string[]; voicemailDetection?: boolean; voicemailMessage?: string | null },
) {
  await db
    .insert(callHandlingSettings)
    .values({ organizationId, ...patch })
    .onConflictDoUpdate({ target: callHandlingSettings.organizationId, set: { ...patch, updatedAt: sql`now()` } });
}
