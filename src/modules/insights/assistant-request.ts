import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { VapiServerMessage } from '../../providers/vapi/webhook.js';
import { routeInboundCall } from './blocked-numbers.repo.js';

/**
 * Our answer to VAPI's `assistant-request` (sent for an inbound call on a number without a
 * fixed assistant): the assistant to use, or `error`, which VAPI speaks to the caller and
 * then ends the call, ignoring every other field.
 */
export const AssistantRequestAnswer = z.union([z.object({ assistantId: z.string() }), z.object({ error: z.string() })]);
export type AssistantRequestAnswer = z.infer<typeof AssistantRequestAnswer>;

/** Short and final: the call ends after it. */
export const BLOCKED_CALLER_MESSAGE = 'Sorry, this business does not accept calls from your number. Goodbye.';
export const NOT_IN_SERVICE_MESSAGE = 'Sorry, this number is not taking calls right now. Please try again later.';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * Routes an inbound call by the dialled number (message.phoneNumber.number, or the VAPI
 * phone-number id on the call): a blocked caller gets the short rejection, anyone else the
 * organization's answering assistant. One indexed query; VAPI waits at most 7.5 s.
 */
export async function answerAssistantRequest(ctx: AppContext, message: VapiServerMessage): Promise<AssistantRequestAnswer> {
  const call = obj(message.call);
  const phoneNumber = obj(message.phoneNumber);
  const route = await routeInboundCall(ctx.db, {
    number: str(phoneNumber.number),
    vapiPhoneNumberId: str(call.phoneNumberId) ?? str(phoneNumber.id),
    customerNumber: str(obj(call.customer).number) ?? str(obj(message.customer).number),
  });
  if (!route || !route.vapiAssistantId) {
    ctx.log.warn({ vapiCallId: call.id, phoneNumberId: call.phoneNumberId }, 'assistant-request for a number without an assistant');
    return { error: NOT_IN_SERVICE_MESSAGE };
  }
  if (route.blocked) {
    ctx.log.info({ vapiCallId: call.id, organizationId: route.organizationId }, 'blocked caller rejected');
    return { error: BLOCKED_CALLER_MESSAGE };
  }
  return { assistantId: route.vapiAssistantId };
}
