import { eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { calls, privacySettings } from '../../db/schema/index.js';

export interface PrivacyValues {
  transcriptRetentionDays: number | null;
  recordingRetentionDays: number | null;
  redactPii: boolean;
}

export async function findPrivacy(db: Db, organizationId: string) {
  const [row] = await db.select().from(privacySettings).where(eq(privacySettings.organizationId, organizationId));
  return row;
}

/** The settings, defaults (keep everything, no redaction) when never saved. */
export async function privacyValues(db: Db, organizationId: string): Promise<PrivacyValues> {
  const row = await findPrivacy(db, organizationId);
  return {
    transcriptRetentionDays: row?.transcriptRetentionDays ?? null,
    recordingRetentionDays: row?.recordingRetentionDays ?? null,
    redactPii: row?.redactPii ?? false,
  };
}

export async function savePrivacy(db: Db, organizationId: string, v: PrivacyValues) {
  await db
    .insert(privacySettings)
    .values({ organizationId, ...v })
    .onConflictDoUpdate({ target: privacySettings.organizationId, set: { ...v, updatedAt: sql`now()` } });
}

/** Does the organization owning this VAPI assistant redact PII? Read before its call is stored. */
export async function redactsForAssistant(db: Db, vapiAssistantId: string) {
  const [row] = await queryRows<{ redact: boolean }>(
    db,
    sql`select p.redact_pii as redact from assistants a join privacy_settings p on p.organization_id = a.organization_id
        where a.vapi_assistant_id = ${vapiAssistantId}`,
  );
  return row?.redact ?? false;
}

/** Rows each retention statement touches at most: short statements, short locks. */
export const RETENTION_BATCH = 1000;

/**
 * Clears one batch of transcripts (and the stored provider payload that carried them)
 * past each organization's window. The call row, its seconds and usage claim stay.
 */
export async function clearTranscriptBatch(db: Db, now: Date) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with due as (
        select c.id, c.vapi_call_id from calls c join privacy_settings p on p.organization_id = c.organization_id
        where p.transcript_retention_days is not null
          and coalesce(c.ended_at, c.started_at, c.created_at) < ${now.toISOString()}::timestamptz - make_interval(days => p.transcript_retention_days)
          and (c.transcript is not null or c.messages is not null)
        limit ${RETENTION_BATCH}
      ), payloads as (
        update webhook_events e set payload = '{}'::jsonb from due
        where e.provider = 'vapi' and e.event_key = due.vapi_call_id || ':end-of-call-report'
      )
      update calls c set transcript = null, messages = null, updated_at = now() from due where c.id = due.id returning c.id`,
  );
  return rows.length;
}

export async function clearRecordingBatch(db: Db, now: Date) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update calls c set recording_url = null, updated_at = now() where c.id in (
        select c2.id from calls c2 join privacy_settings p on p.organization_id = c2.organization_id
        where p.recording_retention_days is not null and c2.recording_url is not null
          and coalesce(c2.ended_at, c2.started_at, c2.created_at) < ${now.toISOString()}::timestamptz - make_interval(days => p.recording_retention_days)
        limit ${RETENTION_BATCH}) returning c.id`,
  );
  return rows.length;
}

/**
 * Calls whose copy at VAPI should go: a retention window has passed and we hold no
 * recording URL (the recording file lives at VAPI: deleting the call there deletes it).
 * Keyset over the id, so one run visits each candidate once, failures included.
 */
export function vapiCopiesDue(db: Db, now: Date, afterId: string, limit: number) {
  return queryRows<{ id: string; vapiCallId: string }>(
    db,
    sql`select c.id, c.vapi_call_id as "vapiCallId" from calls c join privacy_settings p on p.organization_id = c.organization_id
      where c.vapi_deleted_at is null and c.recording_url is null and c.id > ${afterId}::uuid
        -- least() skips nulls: the shorter window set; none set, no row.
        and coalesce(c.ended_at, c.started_at, c.created_at) < ${now.toISOString()}::timestamptz
          - make_interval(days => least(p.transcript_retention_days, p.recording_retention_days))
      order by c.id limit ${limit}`,
  );
}

export async function markVapiDeleted(db: Db, ids: string[], now: Date) {
  if (ids.length === 0) return;
  await db.update(calls).set({ vapiDeletedAt: now }).where(inArray(calls.id, ids));
}
