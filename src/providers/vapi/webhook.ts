import { z } from 'zod';
import { hmacSha256, safeEqual } from '../../lib/tokens.js';

/**
 * VAPI's server messages (webhooks), as VAPI sends them: `{ message: { type, call, … } }`.
 * Schemas are loose: VAPI adds fields freely, and only a few types need an answer.
 */

type Headers = Record<string, string | string[] | undefined>;

const headerValue = (headers: Headers, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * True when the request proves it knows our secret: legacy servers send it as `x-vapi-secret`,
 * credential-based ones as `Authorization: Bearer <secret>` or, for an HMAC credential,
 * `x-vapi-signature` = hex HMAC-SHA256 of the raw body. Constant-time comparisons.
 */
export function verifyVapiRequest(headers: Headers, secret: string | undefined, rawBody?: string): boolean {
  if (!secret) return false;
  const sent = headerValue(headers, 'x-vapi-secret');
  if (sent !== undefined && safeEqual(sent, secret)) return true;
  const bearer = headerValue(headers, 'authorization')?.match(/^Bearer (.+)/i)?.[1];
  if (bearer !== undefined && safeEqual(bearer, secret)) return true;
  const signature = headerValue(headers, 'x-vapi-signature');
  // Exactly our lower-case hex digest, as Stripe's SDK compares its v1 signature: no normalizing of what was sent.
  return signature !== undefined && rawBody !== undefined && safeEqual(signature, hmacSha256(secret, rawBody));
}

const ToolCall = z.object({
  id: z.string(),
  type: z.string().optional(),
  function: z.object({
    name: z.string(),
    /** An object or a JSON string, depending on the sender. */
    arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  }),
});

const WireCallSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  status: z.string().optional(),
  assistantId: z.string().optional(),
  phoneNumberId: z.string().optional(),
  customer: z.looseObject({ number: z.string().optional() }).optional(),
  createdAt: z.string().optional(),
});

export const VapiServerMessage = z.looseObject({
  type: z.string(),
  timestamp: z.number().optional(),
  call: WireCallSchema.optional(),
  status: z.string().optional(),
  endedReason: z.string().optional(),
  toolCallList: z.array(ToolCall).optional(),
  toolWithToolCallList: z.array(z.looseObject({ toolCall: ToolCall.optional() })).optional(),
});
export type VapiServerMessage = z.infer<typeof VapiServerMessage>;

export const VapiWebhookBody = z.object({ message: VapiServerMessage });

export interface VapiToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

function parseArguments(raw: string | Record<string, unknown> | undefined): Record<string, unknown> {
  if (typeof raw !== 'string') return raw ?? {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The tool calls of a `tool-calls` message, arguments always as an object. */
export function toolCallsOf(message: VapiServerMessage): VapiToolCall[] {
  const calls = message.toolCallList ?? (message.toolWithToolCallList ?? []).flatMap((t) => (t.toolCall ? [t.toolCall] : []));
  return calls.map((c) => ({ id: c.id, name: c.function.name, arguments: parseArguments(c.function.arguments) }));
}

/** What we answer to `tool-calls` (always HTTP 200): one single-line result or error per call. */
export interface VapiToolResult {
  toolCallId: string;
  name: string;
  result?: string;
  error?: string;
}
