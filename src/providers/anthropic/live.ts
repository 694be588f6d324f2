import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import type { ProviderOptions } from '../index.js';
import { ProviderError } from '../errors.js';
import type { AiProvider, CompletionRequest } from './port.js';

/** Writing prompt sections and reading websites: a capable, fast model. */
const MODEL = 'claude-sonnet-4-6';
/** The SDK retries 408, 409, 429 and 5xx (529 overloaded included), honoring Retry-After. */
const MAX_RETRIES = 2;
const TIMEOUT_MS = 60_000;
const DEFAULT_MAX_TOKENS = 1024;

function toProviderError(operation: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof APIError) {
    const status = err.status ? `HTTP ${err.status} ` : '';
    return new ProviderError('anthropic', err.status, `${operation}: ${status}${err.apiMessage ?? err.message}`, { cause: err });
  }
  return new ProviderError('anthropic', undefined, `${operation}: ${(err as Error).message}`, { cause: err });
}

/** The only file that talks to Anthropic, through @anthropic-ai/sdk (the emulator in the sandbox). */
export function createAnthropicProvider(opts: ProviderOptions): AiProvider {
  const apiKey = opts.config.anthropicApiKey;
  // Built only with a key: without one the SDK would go looking for credentials elsewhere.
  const client = apiKey ? new Anthropic({ apiKey, baseURL: opts.baseUrl, maxRetries: MAX_RETRIES, timeout: TIMEOUT_MS }) : undefined;

  async function ask(operation: string, request: CompletionRequest, extra: Pick<Anthropic.MessageCreateParamsNonStreaming, 'output_config'> = {}) {
    if (!client) throw new ProviderError('anthropic', undefined, `${operation}: ANTHROPIC_API_KEY is not set`);
    try {
      const message = await client.messages.create({
        model: MODEL,
        max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
        ...(request.system ? { system: request.system } : {}),
        messages: [{ role: 'user', content: request.prompt }],
        ...extra,
      });
      return message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
    } catch (err) {
      throw toProviderError(operation, err);
    }
  }

  return {
    complete: (request) => ask('complete', request),

    async extractJson(request) {
      // Structured outputs: the API constrains the answer to the schema; we still validate it.
      const format = zodOutputFormat(request.schema);
      const text = await ask('extractJson', request, { output_config: { format: { type: format.type, schema: format.schema } } });
      try {
        return format.parse(text);
      } catch (err) {
        throw toProviderError('extractJson', err);
      }
    },
  };
}
