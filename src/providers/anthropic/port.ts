import type { z } from 'zod';

export interface CompletionRequest {
  /** Instructions: who the model is and how to answer. */
  system?: string;
  /** The user's turn: the task and its material. */
  prompt: string;
  /** Upper bound on the answer's length, in tokens. */
  maxTokens?: number;
}

export interface JsonRequest<T> extends CompletionRequest {
  /** What the answer must be; it is also shown to the model as JSON Schema. */
  schema: z.ZodType<T>;
}

/**
 * Text work by an LLM (Anthropic's Messages API) in our vocabulary: writing prompt sections,
 * reading a business's website. Failures are ProviderError (status kept when there was one).
 */
export interface AiProvider {
  /** The model's answer to one prompt, as plain text. */
  complete(request: CompletionRequest): Promise<string>;
  /** Asks for one JSON object and returns it validated by `schema`; an answer that does not fit is a ProviderError. */
  extractJson<T>(request: JsonRequest<T>): Promise<T>;
}
