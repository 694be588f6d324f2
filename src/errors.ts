import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { plainFieldMessage } from './domain/field-messages.js';

/** Machine codes and the HTTP status each one means. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_TOKEN: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  PLAN_REQUIRED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  PROVIDER_ERROR: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly statusCode: number;
  readonly details?: unknown;
  /** Sent as Retry-After (429). */
  readonly retryAfterSeconds?: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: { details?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.statusCode = ERROR_STATUS[code];
    this.details = extra.details;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);

/** A 400 about one input field, named in `details` as schema validation names it (`body.voiceId`). */
export const fieldError = (field: string, message: string, code: 'VALIDATION_FAILED' | 'BAD_REQUEST' = 'VALIDATION_FAILED') =>
  new AppError(code, message, { details: [{ field, message }] });

/** The body of every error response: `{ error, code, details? }`. */
export interface ErrorBody {
  error: string;
  code: string;
  details?: unknown;
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
};

/** The one place where thrown errors become HTTP answers. 5xx never leak internals. */
/** onNotFound: told of every request no route matched (the metrics count them under one label). */
export function installErrorHandler(app: FastifyInstance, opts: { onNotFound?: (method: string, elapsedMs: number) => void } = {}) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => {
        const field = [err.validationContext, ...String(v.instancePath).split('/').filter(Boolean)].join('.');
        return { field, message: plainFieldMessage(field, { keyword: v.keyword, message: v.message ?? '', params: v.params }) };
      });
      const first = details[0];
      return reply.status(400).send({
        error: first?.message ?? 'Invalid request',
        code: 'VALIDATION_FAILED',
        details,
      } satisfies ErrorBody);
    }
    if (err instanceof AppError) {
      const body: ErrorBody = { error: err.message, code: err.code };
      if (err.details !== undefined) body.details = err.details;
      if (err.retryAfterSeconds !== undefined) void reply.header('retry-after', String(err.retryAfterSeconds));
      return reply.status(err.statusCode).send(body);
    }
    const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (mapped) {
      return reply.status(ERROR_STATUS[mapped]).send({ error: err.message, code: mapped } satisfies ErrorBody);
    }
    if (err.statusCode === 429) {
      return reply.status(429).send({ error: err.message, code: 'RATE_LIMITED' } satisfies ErrorBody);
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500 && !isResponseSerializationError(err)) {
      return reply.status(err.statusCode).send({ error: err.message, code: 'BAD_REQUEST' } satisfies ErrorBody);
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: 'Internal server error', code: 'INTERNAL' } satisfies ErrorBody);
  });

  app.setNotFoundHandler((request, reply) => {
    opts.onNotFound?.(request.method, reply.elapsedTime);
    reply.status(404).send({ error: `Route ${request.method} ${request.url.split('?')[0]} not found`, code: 'NOT_FOUND' });
  });
}
