import type { AppContext } from '../context.js';
import { recordFinishedCall } from '../modules/calls/call-events.service.js';
import { parseOutcome } from '../domain/call-outcome.js';
import type { VapiCall } from '../providers/vapi/port.js';
import type { Job } from './job.js';
import { lastSuccessfulRun } from './runner.js';

const PAGE = 100;
/** Looks back past the last run by this much, so a call that ended during it is not missed. */
const OVERLAP_MS = 60 * 60 * 1000;
const FIRST_RUN_LOOKBACK_MS = 48 * 60 * 60 * 1000;

/**
 * Recovers calls whose end-of-call-report never reached us (VAPI does not retry): lists
 * ended calls since the last run and records each through the same idempotent path as
 * the webhook, so a call already stored is not counted again.
 */
export async function syncCalls(ctx: AppContext) {
  const last = await lastSuccessfulRun(ctx, syncCallsJob.name);
  const since = new Date((last?.getTime() ?? ctx.now().getTime() - FIRST_RUN_LOOKBACK_MS + OVERLAP_MS) - OVERLAP_MS);
  let synced = 0;
  let errors = 0;
  let before: Date | undefined;
  for (;;) {
    const page: VapiCall[] = await ctx.providers.vapi.listCalls({ createdAfter: since, createdBefore: before, limit: PAGE });
    for (const call of page.filter((c) => c.status === 'ended' && c.assistantId)) {
      try {
        const result = await recordFinishedCall(ctx, {
          vapiCallId: call.id,
          vapiAssistantId: call.assistantId,
          type: call.type,
          status: call.endedReason && /error|failed|fault/i.test(call.endedReason) ? 'FAILED' : 'COMPLETED',
          customerNumber: call.customerNumber,
          startedAt: call.startedAt,
          endedAt: call.endedAt,
          durationSeconds: call.durationSeconds,
          endedReason: call.endedReason,
          transcript: call.transcript,
          summary: call.summary,
          recordingUrl: call.recordingUrl,
          costCents: call.cost !== undefined ? Math.round(call.cost * 100) : undefined,
          outcome: parseOutcome(call.structuredData, call.customerNumber) ?? undefined,
        });
        if (result.outcome === 'stored' && result.countedSeconds > 0) synced++;
      } catch (err) {
        errors++;
        ctx.log.error({ err, vapiCallId: call.id }, 'sync-calls: could not record call');
      }
    }
    if (page.length < PAGE) break;
    before = page.at(-1)!.createdAt;
  }
  return { synced, errors };
}

export const syncCallsJob: Job = { name: 'sync-calls', schedule: '0 3 * * *', run: syncCalls };
