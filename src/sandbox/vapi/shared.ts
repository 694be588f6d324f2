import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Db } from '../../db/client.js';
import { sandboxStore } from '../store.js';

/**
 * What the VAPI emulator keeps, shaped as VAPI's API answers it (camelCase JSON, UUID ids,
 * ISO timestamps), so stored documents are returned as they are.
 */

type Resource = { id: string; orgId: string; createdAt: string; updatedAt: string };

export type ServerConfig = { url?: string; secret?: string; headers?: Record<string, unknown> } & Record<string, unknown>;

export type AssistantDoc = Resource & {
  name?: string;
  firstMessage?: string;
  model?: { provider: string; model: string; messages?: Array<{ role: string; content: string | null }>; toolIds?: string[] } & Record<string, unknown>;
  server?: ServerConfig;
} & Record<string, unknown>;

export type ToolDoc = Resource & { type: string } & Record<string, unknown>;

export type FileDoc = Resource & { object: 'file'; status: 'done'; name: string; originalName: string; bytes: number; mimetype: string; url: string } & Record<string, unknown>;

/** File bytes, kept apart so file metadata stays small. */
export type FileContentDoc = { id: string; base64: string };

export type PhoneNumberDoc = Resource & { provider: 'twilio'; number: string; assistantId?: string; status: string } & Record<string, unknown>;

export type CallDoc = Resource & {
  type: 'inboundPhoneCall' | 'outboundPhoneCall' | 'webCall';
  status: 'queued' | 'ringing' | 'in-progress' | 'ended';
  assistantId: string;
  phoneNumberId?: string;
  customer?: { number: string; name?: string };
  startedAt?: string;
  endedAt?: string;
} & Record<string, unknown>;

export function vapiStores(db: Db) {
  return {
    assistants: sandboxStore<AssistantDoc>(db, 'vapi', 'assistant'),
    tools: sandboxStore<ToolDoc>(db, 'vapi', 'tool'),
    files: sandboxStore<FileDoc>(db, 'vapi', 'file'),
    fileContents: sandboxStore<FileContentDoc>(db, 'vapi', 'file_content'),
    phoneNumbers: sandboxStore<PhoneNumberDoc>(db, 'vapi', 'phone_number'),
    /** E.164 → the phone-number id that imported it: claimed at import, so a number is imported once. */
    phoneNumberIndex: sandboxStore<{ id: string }>(db, 'vapi', 'phone_number_index'),
    calls: sandboxStore<CallDoc>(db, 'vapi', 'call'),
  };
}
export type VapiStores = ReturnType<typeof vapiStores>;

/** The org every sandbox key belongs to: stable for one API key, shaped like VAPI's UUIDs. */
export function orgIdFor(apiKey: string): string {
  const h = createHash('sha256').update(apiKey).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** id, orgId and both timestamps for a new resource. */
export function newResource(app: FastifyInstance): Resource {
  const now = app.ctx.now().toISOString();
  return { id: randomUUID(), orgId: orgIdFor(app.ctx.config.vapi.apiKey ?? ''), createdAt: now, updatedAt: now };
}

export const E164 = /^\+[1-9]\d{6,14}$/;

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** An error answered in VAPI's (NestJS) shape: `{ message, error, statusCode }`. */
export class VapiApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (resource: string) => new VapiApiError(404, `${resource} not found`);
export const badRequest = (message: string) => new VapiApiError(400, message);

export const errorBody = (statusCode: number, message: string | string[]) => ({
  message,
  error: STATUS_NAMES[statusCode] ?? 'Error',
  statusCode,
});

/** Answers every error inside the emulator as VAPI would, never as our own API does. */
export function installVapiErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err, _request, reply) => {
    if (err instanceof VapiApiError) return reply.status(err.statusCode).send(errorBody(err.statusCode, err.message));
    if (hasZodFastifySchemaValidationErrors(err)) {
      const messages = err.validation.map((v) => `${String(v.instancePath).split('/').filter(Boolean).join('.') || err.validationContext} ${v.message}`);
      return reply.status(400).send(errorBody(400, messages));
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return reply.status(status).send(errorBody(status, (err as Error).message));
    app.log.error({ err }, 'vapi emulator error');
    return reply.status(500).send(errorBody(500, 'Internal server error'));
  });
}

/** Loads a document or fails with VAPI's 404. */
export async function found<T>(doc: Promise<T | undefined>, resource: string): Promise<T> {
  const value = await doc;
  if (!value) throw notFound(resource);
  return value;
}
