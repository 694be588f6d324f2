import type { AppContext } from '../../context.js';
import type { AuthContext } from '../auth/sessions.js';
import * as repo from './privacy.repo.js';

export async function getPrivacy(ctx: AppContext, auth: AuthContext): Promise<repo.PrivacyValues> {
  const row = await repo.findPrivacy(ctx.db, auth.organizationId);
  return {
    transcriptRetentionDays: row?.transcriptRetentionDays ?? null,
    recordingRetentionDays: row?.recordingRetentionDays ?? null,
    redactPii: row?.redactPii ?? false,
  };
}

export async function putPrivacy(ctx: AppContext, auth: AuthContext, input: repo.PrivacyValues) {
  await repo.savePrivacy(ctx.db, auth.organizationId, input);
  return getPrivacy(ctx, auth);
}

/** Runs a batched statement until a batch comes back short; the total it cleared. */
async function drain(batch: () => Promise<number>) {
  let total = 0;
  for (;;) {
    const n = await batch();
    total += n;
    if (n < repo.RETENTION_BATCH) return total;
  }
}

/** The daily retention pass: transcripts and recordings past each organization's window. */
export async function applyRetention(ctx: AppContext) {
  const now = ctx.now();
  return {
    transcripts: await drain(() => repo.clearTranscriptBatch(ctx.db, now)),
    recordings: await drain(() => repo.clearRecordingBatch(ctx.db, now)),
  };
}
