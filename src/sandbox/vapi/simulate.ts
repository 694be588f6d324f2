import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deliverWebhook } from '../deliver.js';
import { contractTap } from '../tap.js';
import { buildEndOfCall, buildTimeline, type TimelineMessage } from './report.js';
import { badRequest, E164, found, newResource, vapiStores, type AssistantDoc, type CallDoc, type VapiStores } from './shared.js';

const SimulateBody = z
  .object({
    assistantId: z.string().optional(),
    /** A queued outbound call (from POST /call) to play instead of a new one. */
    callId: z.string().optional(),
    customerNumber: z.string().regex(E164).optional(),
    durationSeconds: z.number().int().min(0).max(43200).default(60),
    toolCalls: z.array(z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()).default({}) })).default([]),
    /** Lines of `AI: …` and `User: …`. */
    transcript: z.string().optional(),
    summary: z.string().optional(),
    endedReason: z.string().default('customer-ended-call'),
    type: z.enum(['inboundPhoneCall', 'outboundPhoneCall', 'webCall']).default('inboundPhoneCall'),
    /** false keeps the call but never sends its end-of-call report, as when VAPI's one attempt is lost. */
    deliver: z.boolean().default(true),
  })
  .refine((b) => b.assistantId || b.callId, 'assistantId or callId is required');
type SimulateBody = z.infer<typeof SimulateBody>;

const Delivery = z.object({ type: z.string(), status: z.number().nullable() });
type Delivery = z.infer<typeof Delivery>;

/** Where the assistant's server messages go, with the headers VAPI would send. */
function serverDestination(app: FastifyInstance, assistant: AssistantDoc) {
  const server = assistant.server ?? {};
  const configured = Object.entries(server.headers ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string');
  const headers: Record<string, string> = Object.fromEntries(configured.map(([k, v]) => [k.toLowerCase(), v]));
  const secret = server.secret ?? app.ctx.config.vapi.webhookSecret;
  if (!headers['x-vapi-secret'] && !headers.authorization && secret) headers['x-vapi-secret'] = secret;
  headers['content-type'] = 'application/json';
  return { url: server.url ?? `${app.ctx.config.appUrl}/api/webhooks/vapi`, headers };
}

/** The call to play: a queued outbound one, or a new one on the assistant (on its number, if it has one). */
async function callToPlay(app: FastifyInstance, stores: VapiStores, body: SimulateBody): Promise<CallDoc> {
  if (body.callId) {
    const call = await found(stores.calls.get(body.callId), 'Call');
    if (call.status === 'ended') throw badRequest(`Call ${call.id} has already ended`);
    return call;
  }
  const assistantId = body.assistantId!;
  await found(stores.assistants.get(assistantId), 'Assistant');
  const phoneCall = body.type !== 'webCall';
  const phone = phoneCall ? (await stores.phoneNumbers.list({ limit: 1000 })).find((p) => p.assistantId === assistantId) : undefined;
  return {
    ...newResource(app),
    type: body.type,
    status: 'queued',
    assistantId,
    ...(phone ? { phoneNumberId: phone.id, phoneCallProvider: 'twilio', phoneCallTransport: 'pstn' } : {}),
    ...(phoneCall ? { customer: { number: body.customerNumber ?? '+15555550123' } } : {}),
  };
}

/** The call inside server messages: identity and state; the artifacts travel in the report itself. */
const callInMessage = ({ messages: _m, artifact: _a, analysis: _an, costs: _c, ...call }: CallDoc) => call;

/** Plays one call and sends its server messages in VAPI's order; returns what each answered. */
async function playCall(app: FastifyInstance, stores: VapiStores, body: SimulateBody) {
  let call = await callToPlay(app, stores, body);
  const assistant = await found(stores.assistants.get(call.assistantId), 'Assistant');
  const phoneNumber = call.phoneNumberId ? await stores.phoneNumbers.get(call.phoneNumberId) : undefined;
  const destination = serverDestination(app, assistant);
  const endedAt = app.ctx.now();
  const startedAt = new Date(endedAt.getTime() - body.durationSeconds * 1000);
  const deliveries: Delivery[] = [];

  const envelope = (message: { type: string } & Record<string, unknown>) => {
    const body = {
      message: {
        timestamp: app.ctx.now().getTime(),
        ...message,
        call: callInMessage(call),
        customer: call.customer,
        phoneNumber,
        assistant: { ...assistant, server: undefined },
      },
    };
    const json = JSON.stringify(body);
    contractTap.message('vapi', message.type, JSON.parse(json));
    return json;
  };
  /** Messages that need no answer: sent once, never retried (VAPI's default). */
  const notify = async (message: { type: string } & Record<string, unknown>) => {
    const status = await deliverWebhook(app.log, destination.url, { headers: destination.headers, body: envelope(message) });
    deliveries.push({ type: message.type, status: status ?? null });
  };
  /** tool-calls expects `{ results: [{ toolCallId, result | error }] }` back. */
  const askTool = async (toolCall: { id: string; type: 'function'; function: { name: string; arguments: string } }) => {
    const message = {
      type: 'tool-calls',
      toolCallList: [toolCall],
      toolWithToolCallList: [{ type: 'function', function: { name: toolCall.function.name }, toolCall }],
    };
    const res = await fetch(destination.url, { method: 'POST', headers: destination.headers, body: envelope(message), signal: AbortSignal.timeout(20_000) }).catch(
      () => undefined,
    );
    deliveries.push({ type: message.type, status: res?.status ?? null });
    const answer = (await res?.json().catch(() => undefined)) as { results?: Array<{ toolCallId?: string; result?: string; error?: string }> } | undefined;
    if (res?.ok) contractTap.message('vapi', 'tool-calls-response', answer);
    const result = answer?.results?.find((r) => r.toolCallId === toolCall.id);
    return result?.result ?? result?.error ?? 'No result returned.';
  };

  call = await stores.calls.put(call.id, { ...call, status: 'in-progress', startedAt: startedAt.toISOString(), updatedAt: app.ctx.now().toISOString() });
  await notify({ type: 'status-update', status: 'in-progress' });

  const toolMessages: TimelineMessage[] = [];
  for (const [i, { name, arguments: args }] of body.toolCalls.entries()) {
    // VAPI's ToolCallFunction.arguments is the model's JSON text, not an object.
    const toolCall = { id: `call_${randomBytes(12).toString('base64url')}`, type: 'function' as const, function: { name, arguments: JSON.stringify(args) } };
    const result = await askTool(toolCall);
    const at = (body.durationSeconds * (i + 1)) / (body.toolCalls.length + 1);
    toolMessages.push(
      { role: 'tool_calls', toolCalls: [toolCall], message: '', secondsFromStart: at },
      { role: 'tool_call_result', toolCallId: toolCall.id, name, result, secondsFromStart: at + 0.5 },
    );
  }

  const timeline = buildTimeline({ assistant, transcript: body.transcript, toolMessages, startedAt, durationSeconds: body.durationSeconds });
  const { callFields, report } = buildEndOfCall({
    appUrl: app.ctx.config.appUrl,
    call,
    assistant,
    timeline,
    startedAt,
    endedAt,
    endedReason: body.endedReason,
    summary: body.summary,
  });
  call = await stores.calls.put(call.id, { ...call, ...callFields, status: 'ended', updatedAt: app.ctx.now().toISOString() });
  await notify({ type: 'status-update', status: 'ended', endedReason: body.endedReason });
  if (body.deliver) await notify(report);
  return { callId: call.id, deliveries };
}

/**
 * `POST /simulate-call`: plays a call as VAPI would, sending to the assistant's server
 * status-update in-progress, tool-calls (answers kept in the call's messages), status-update
 * ended and the end-of-call-report. The call stays readable at GET /call/{id} and in GET /call.
 */
const simulateRoutes: FastifyPluginAsyncZod = async (app) => {
  const stores = vapiStores(app.ctx.db);
  app.post(
    '/simulate-call',
    {
      schema: {
        tags: ['Sandbox'],
        summary: 'Play a VAPI call on an assistant and send its server messages',
        body: SimulateBody,
        response: { 200: z.object({ callId: z.string(), deliveries: z.array(Delivery) }) },
      },
    },
    async (request) => playCall(app, stores, request.body),
  );
};

export default simulateRoutes;
