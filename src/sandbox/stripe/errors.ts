import type { FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** Stripe's error object, answered as `{ "error": { … } }`. */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'idempotency_error' | 'card_error' | 'api_error';
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
}

/** An error answered in Stripe's shape and status. */
export class StripeApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;

/** An unknown id: 404 when it is the resource in the URL, 400 when it is a parameter of the request. */
export function noSuch(kind: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(param === 'id' ? 404 : 400, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    doc_url: docUrl('resource_missing'),
    message: `No such ${kind}: '${id}'`,
    param,
  });
}

export const invalidRequest = (message: string, param?: string) =>
  new StripeApiError(400, { type: 'invalid_request_error', message, ...(param ? { param } : {}) });

/** zod's path as Stripe names parameters: ['line_items', 0, 'price'] → `line_items[0][price]`. */
const paramName = (path: string[]) => path.map((p, i) => (i === 0 ? p : `[${p}]`)).join('');

/** Answers every error inside the emulator as Stripe would, never in our own API's shape. */
export function installStripeErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err, _request, reply) => {
    if (err instanceof StripeApiError) return reply.status(err.statusCode).send({ error: err.body });
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issue = err.validation[0]!;
      const path = String(issue.instancePath).split('/').filter(Boolean);
      const keys = (issue.params as { keys?: string[] }).keys;
      if (issue.keyword === 'unrecognized_keys' && keys?.length) {
        const param = paramName([...path, keys[0]!]);
        return reply.status(400).send({
          error: { type: 'invalid_request_error', code: 'parameter_unknown', doc_url: docUrl('parameter_unknown'), param, message: `Received unknown parameter: ${param}` },
        });
      }
      const param = paramName(path);
      const missing = issue.keyword === 'invalid_type' && / received undefined$/.test(issue.message ?? '');
      const error: StripeErrorBody = missing
        ? { type: 'invalid_request_error', code: 'parameter_missing', doc_url: docUrl('parameter_missing'), param, message: `Missing required param: ${param}.` }
        : param
          ? { type: 'invalid_request_error', param, message: `Invalid ${param}: ${issue.message}` }
          : { type: 'invalid_request_error', message: `Invalid request: ${issue.message}` };
      return reply.status(400).send({ error });
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send({ error: { type: 'invalid_request_error', message: (err as Error).message } });
    }
    app.log.error({ err }, 'stripe emulator error');
    return reply.status(500).send({ error: { type: 'api_error', message: 'An unknown error occurred' } });
  });
}
