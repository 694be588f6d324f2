import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { fetchJson } from '../../providers/http.js';
import { ProviderError } from '../../providers/errors.js';
import { findActiveAssistant, findOrganizationName } from '../assistants/assistants.repo.js';
import { findCallByVapiId } from '../calls/calls.repo.js';
import { sampleCall } from './sample-call.js';

/** Playing a call is not idempotent: one attempt, and time for the emulator to deliver every server message. */
const ONE_ATTEMPT = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, timeoutMs: 30_000 };

/**
 * Plays a sample call on the organization's active assistant through the VAPI emulator, over
 * HTTP as any client would. The emulator answers once its end-of-call report was delivered to
 * our VAPI webhook, so the call is then stored and its minutes counted, or the report was lost.
 */
export async function simulateCall(ctx: AppContext, organizationId: string, input: { customerNumber?: string }) {
  const assistant = await findActiveAssistant(ctx.db, organizationId);
  if (!assistant) throw new AppError('CONFLICT', 'There is no assistant to call yet: finish setup (onboarding) first, then simulate a call');
  const sample = sampleCall({ business: await findOrganizationName(ctx.db, organizationId), greeting: assistant.firstMessage });

  let played: { callId: string };
  try {
    played = await fetchJson<{ callId: string }>(
      'vapi',
      `${ctx.config.internalUrl}/sandbox/vapi/simulate-call`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...sample, customerNumber: input.customerNumber ?? sample.customerNumber, assistantId: assistant.vapiAssistantId }),
      },
      ONE_ATTEMPT,
    );
  } catch (err) {
    throw new AppError('PROVIDER_ERROR', `The VAPI emulator could not play the call: ${err instanceof ProviderError ? err.message : 'unexpected error'}`);
  }

  const call = await findCallByVapiId(ctx.db, organizationId, played.callId);
  if (!call?.endedAt) throw new AppError('PROVIDER_ERROR', 'The call was played, but its end-of-call report did not reach the VAPI webhook');
  return { callId: call.id, vapiCallId: call.vapiCallId, customerNumber: call.customerNumber, durationSeconds: call.durationSeconds };
}
