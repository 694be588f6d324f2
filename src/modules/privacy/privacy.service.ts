import type { AppContext } from '../../context.js';
import type { AuthContext } from '../auth/sessions.js';
import { vapiPrivacy } from '../../domain/privacy.js';
import { vapiFailure } from '../assistants/assistant-sync.js';
import { findActiveAssistant } from '../assistants/assistants.repo.js';
import { ProviderError } from '../../providers/errors.js';
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

const VAPI_BATCH = 100;
/** Deletes sent to VAPI at once: enough to clear a backlog, few enough for its rate limit. */
const VAPI_PARALLEL = 5;
const NO_ID = '00000000-0000-0000-0000-000000000000';

/** One call's copy at VAPI: gone when VAPI deleted it or never had it (404); false to retry tomorrow. */
async function deleteVapiCopy(ctx: AppContext, call: { id: string; vapiCallId: string }) {
  try {
    await ctx.providers.vapi.deleteCall(call.vapiCallId);
    return true;
  } catch (err) {
    if (err instanceof ProviderError && err.notFound) return true;
    ctx.log.warn({ err, callId: call.id }, 'retention: VAPI copy not deleted; retried on the next run');
    return false;
  }
}

/** VAPI keeps its own copy of each call: past a window, it is deleted there too. */
async function deleteVapiCopies(ctx: AppContext, now: Date) {
  const total = { deleted: 0, failed: 0 };
  for (let after = NO_ID; ; ) {
    const due = await repo.vapiCopiesDue(ctx.db, now, after, VAPI_BATCH);
    const gone: string[] = [];
    for (let i = 0; i < due.length; i += VAPI_PARALLEL) {
      const slice = due.slice(i, i + VAPI_PARALLEL);
      const results = await Promise.all(slice.map((call) => deleteVapiCopy(ctx, call)));
      slice.forEach((call, k) => {
        if (results[k]) gone.push(call.id);
      });
    }
    await repo.markVapiDeleted(ctx.db, gone, now);
    total.deleted += gone.length;
    total.failed += due.length - gone.length;
    if (due.length < VAPI_BATCH) return total;
    after = due.at(-1)!.id;
  }
}

/** The daily retention pass: transcripts and recordings past each organization's window, here and at VAPI. */
export async function applyRetention(ctx: AppContext) {
  const now = ctx.now();
  const transcripts = await drain(() => repo.clearTranscriptBatch(ctx.db, now));
  const recordings = await drain(() => repo.clearRecordingBatch(ctx.db, now));
  const vapi = await deleteVapiCopies(ctx, now);
  return { transcripts, recordings, vapiDeleted: vapi.deleted, vapiFailed: vapi.failed };
}
