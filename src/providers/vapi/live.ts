import { setTimeout as sleep } from 'node:timers/promises';
import { VapiClient, VapiError, type Vapi } from '@vapi-ai/server-sdk';
import type { ProviderOptions } from '../index.js';
import { ProviderError } from '../errors.js';
import { DEFAULT_RETRY, retryDelayMs } from '../http.js';
import type { KnowledgeBaseTool, UploadedFile, VapiProvider } from './port.js';
import { fromWireAssistant, fromWireCall, toWireAssistant, touchesModel, type WireAssistant, type WireCall } from './wire.js';

/** The SDK retries 408, 429 (honoring Retry-After) and 5xx with exponential backoff. */
const MAX_RETRIES = 2;
const TIMEOUT_SECONDS = 20;

function missingApiKey(): never {
  throw new Error('VAPI_API_KEY is not set');
}

interface WirePhoneNumber {
  id: string;
  number?: string;
  assistantId?: string;
  status?: string;
}

interface WireQueryTool {
  id: string;
  knowledgeBases?: Array<{ name: string; fileIds: string[] }>;
}

/** The message of VAPI's error body `{message, error, statusCode}` (message may be a list). */
function vapiErrorMessage(err: VapiError): string {
  const body = err.body as { message?: unknown } | undefined;
  const message = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
  return typeof message === 'string' ? message : err.message;
}

/** Runs one SDK request; its failures become ProviderError with the HTTP status kept. */
async function request<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (err instanceof VapiError) {
      const status = err.statusCode ? `HTTP ${err.statusCode} ` : '';
      throw new ProviderError('vapi', err.statusCode, `${operation}: ${status}${vapiErrorMessage(err)}`, { cause: err });
    }
    throw new ProviderError('vapi', undefined, `${operation}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Retries only 429: the request was refused before VAPI acted on it. A 5xx may come after
 * VAPI already acted (dialed the customer), so that request is not repeated.
 */
async function retryRateLimited<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (!(err instanceof VapiError) || err.statusCode !== 429 || attempt >= MAX_RETRIES) throw err;
      await sleep(retryDelayMs(attempt, DEFAULT_RETRY, err.rawResponse?.headers.get('retry-after')));
    }
  }
}

function toKnowledgeBaseTool(tool: WireQueryTool): KnowledgeBaseTool {
  const kb = tool.knowledgeBases?.[0];
  return { id: tool.id, name: kb?.name ?? '', fileIds: kb?.fileIds ?? [] };
}

/** Exactly VAPI's CreateQueryToolDTO: the tool is named by its knowledge base (the DTO has no `function`). */
const queryToolBody = (kb: { name: string; description: string; fileIds: string[] }) => ({
  type: 'query' as const,
  knowledgeBases: [{ provider: 'google', name: kb.name, description: kb.description, fileIds: kb.fileIds }],
});

/**
 * The only file that talks to VAPI, through @vapi-ai/server-sdk. Bodies are built as VAPI's
 * JSON (wire.ts) and handed to the SDK, which sends them unchanged: its generated unions
 * are far wider than what we use.
 */
export function createVapiProvider(opts: ProviderOptions): VapiProvider {
  const client = new VapiClient({
    token: () => opts.config.vapi.apiKey ?? missingApiKey(),
    ...(opts.baseUrl ? { environment: opts.baseUrl } : {}),
    maxRetries: MAX_RETRIES,
    timeoutInSeconds: TIMEOUT_SECONDS,
  });

  const getWireAssistant = (id: string) =>
    request('get assistant', async () => (await client.assistants.get({ id })) as unknown as WireAssistant);

  return {
    async createAssistant(spec) {
      const body = toWireAssistant(spec) as unknown as Vapi.CreateAssistantDto;
      const created = await request('create assistant', () => client.assistants.create(body));
      return fromWireAssistant(created as unknown as WireAssistant);
    },

    async getAssistant(id) {
      return fromWireAssistant(await getWireAssistant(id));
    },

    async updateAssistant(id, changes) {
      const currentModel = touchesModel(changes) ? (await getWireAssistant(id)).model : undefined;
      const body = toWireAssistant(changes, currentModel) as unknown as Omit<Vapi.UpdateAssistantDto, 'id'>;
      const updated = await request('update assistant', () => client.assistants.update({ id, ...body }));
      return fromWireAssistant(updated as unknown as WireAssistant);
    },

    async deleteAssistant(id) {
      await request('delete assistant', () => client.assistants.delete({ id }));
    },

    async uploadFile(file) {
      const data = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
      const uploaded = await request('upload file', () =>
        client.files.create({ file: { data, filename: file.name, contentType: file.contentType ?? 'text/plain' } }),
      );
      return {
        id: uploaded.id,
        name: uploaded.name ?? uploaded.originalName ?? file.name,
        url: uploaded.url ?? '',
        status: uploaded.status ?? 'processing',
      } satisfies UploadedFile;
    },

    async deleteFile(id) {
      await request('delete file', () => client.files.delete({ id }));
    },

    async createKnowledgeBaseTool(kb) {
      const body = queryToolBody(kb) as unknown as Vapi.CreateToolsRequest;
      const tool = await request('create knowledge-base tool', () => client.tools.create(body));
      return toKnowledgeBaseTool(tool as unknown as WireQueryTool);
    },

    async updateKnowledgeBaseTool(id, kb) {
      // `type` picks the update DTO (VAPI's SDK sends it too), though UpdateQueryToolDTO omits it.
      const { type, knowledgeBases } = queryToolBody(kb);
      const body = { type, knowledgeBases } as unknown as Vapi.UpdateToolsRequestBody;
      const tool = await request('update knowledge-base tool', () => client.tools.update({ id, body }));
      return toKnowledgeBaseTool(tool as unknown as WireQueryTool);
    },

    async deleteTool(id) {
      await request('delete tool', () => client.tools.delete({ id }));
    },

    async importTwilioNumber(number) {
      const imported = await request('import phone number', () =>
        client.phoneNumbers.create({
          provider: 'twilio',
          number: number.number,
          twilioAccountSid: number.twilioAccountSid,
          twilioAuthToken: number.twilioAuthToken,
          assistantId: number.assistantId,
          ...(number.name ? { name: number.name } : {}),
          // SMS stays ours: VAPI would otherwise take over the number's messaging webhook.
          smsEnabled: false,
        }),
      );
      const wire = imported as unknown as WirePhoneNumber;
      return { id: wire.id, number: wire.number ?? number.number, assistantId: wire.assistantId, status: wire.status ?? 'active' };
    },

    async deletePhoneNumber(id) {
      await request('delete phone number', () => client.phoneNumbers.delete({ id }));
    },

    async createOutboundCall(call) {
      const customer = { number: call.customerNumber, ...(call.customerName ? { name: call.customerName } : {}) };
      const created = await request('create call', () =>
        retryRateLimited(() =>
          client.calls.create({ assistantId: call.assistantId, phoneNumberId: call.phoneNumberId, customer }, { maxRetries: 0 }),
        ),
      );
      return fromWireCall(created as unknown as WireCall);
    },

    async getCall(id) {
      const call = await request('get call', () => client.calls.get({ id }));
      return fromWireCall(call as unknown as WireCall);
    },

    async listCalls(filter = {}) {
      const calls = await request('list calls', () =>
        client.calls.list({
          ...(filter.assistantId ? { assistantId: filter.assistantId } : {}),
          ...(filter.limit ? { limit: filter.limit } : {}),
          ...(filter.createdAfter ? { createdAtGt: filter.createdAfter.toISOString() } : {}),
          ...(filter.createdBefore ? { createdAtLt: filter.createdBefore.toISOString() } : {}),
        }),
      );
      return (calls as unknown as WireCall[]).map(fromWireCall);
    },

    async deleteCall(id) {
      await request('delete call', () => client.calls.delete({ id }));
    },
  };
}
