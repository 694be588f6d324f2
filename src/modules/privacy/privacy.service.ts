import type { AppContext } from '../../context.js';
import type { AuthContext } from '../auth/sessions.js';
import { vapiPrivacy } from '../../domain/privacy.js';
import { vapiFailure } from '../assistants/assistant-sync.js';
import { findActiveAssistant } from '../assistants/assistants.repo.js';
import * as repo from './privacy.repo.js';

export const getPrivacy = (ctx: AppContext, auth: AuthContext) => repo.privacyValues(ctx.db, auth.organizationId);

/** VAPI first (a failure is a 502 and nothing is saved), then our row, as every assistant change. */
export async function putPrivacy(ctx: AppContext, auth: AuthContext, input: repo.PrivacyValues) {
  const assistant = await findActiveAssistant(ctx.db, auth.organizationId);
  if (assistant) {
    try {
      await ctx.providers.vapi.updateAssistant(assistant.vapiAssistantId, { privacy: vapiPrivacy(input) });
    } catch (err) {
      throw vapiFailure(err);
    }
  }
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
