import type { FastifyInstance, FastifyReply, FastifyRequest, preValidationHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';

/** NUL and unpaired surrogates: valid in JS strings, refused by Postgres text and jsonb. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/**
 * In JSON text those characters can only arrive escaped (a raw NUL is invalid JSON, and
 * decoding UTF-8 never yields a lone surrogate), so a raw body without such an escape
 * needs no walk of its parse: a large webhook body is then checked by one regex pass.
 */
const ESCAPED_UNSTORABLE = /\\u(0000|d[89a-f])/i;

/**
 * Walks parsed input; `fix` replaces bad characters in place. `found` is the path of the
 * first bad string (`[]` for the input itself), undefined when there is none.
 */
function scan(value: unknown, fix: boolean, depth = 0): { value: unknown; found?: string[] } {
  if (typeof value === 'string') {
    if (!UNSTORABLE.test(value)) return { value };
    return { value: fix ? value.replace(UNSTORABLE_ALL, '\uFFFD') : value, found: [] };
  }
  if (!value || typeof value !== 'object' || depth > 64) return { value };
  let found: string[] | undefined;
  for (const [k, v] of Object.entries(value)) {
    const r = scan(v, fix, depth + 1);
    if (r.found) {
      found ??= [k, ...r.found];
      if (fix) (value as Record<string, unknown>)[k] = r.value;
    }
  }
  return { value, found };
}

/** Routes that take no input at all (no body, query or path parameters) skip the scan. */
function takesInput(route: RouteOptions): boolean {
  const methods = ([] as string[]).concat(route.method);
  const schema = route.schema ?? {};
  return !methods.every((m) => m === 'GET' || m === 'HEAD') || route.url.includes(':') || route.url.includes('*') || !!schema.querystring || !!schema.body;
}

/**
 * Characters no column can hold never reach the database: user input with them is a 400;
 * a provider's webhook (which must not be lost) has them replaced with U+FFFD instead.
 */
export default fp(
  async function textSafety(app: FastifyInstance) {
    app.addHook('onRoute', (route) => {
      if (!takesInput(route)) return;
      const isWebhook = route.url.startsWith('/api/webhooks/');
      const check = (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
        for (const part of ['body', 'query', 'params'] as const) {
          const raw = part === 'body' ? (request as FastifyRequest & { rawBody?: unknown }).rawBody : undefined;
          if (typeof raw === 'string' && !ESCAPED_UNSTORABLE.test(raw)) continue;
          const { found } = scan(request[part], isWebhook);
          if (found && !isWebhook) {
            const message = 'Contains characters that cannot be stored (NUL or a broken surrogate pair)';
            const details = [{ field: [part, ...found].join('.'), message }];
            return done(new AppError('VALIDATION_FAILED', `The ${part} contains characters that cannot be stored (NUL or a broken surrogate pair)`, { details }));
          }
        }
        done();
      };
      // Last of the route's own preValidation hooks: after authentication, plan gate and role
      // (401 → 403 → 400), still before the schema validation and the handler.
      route.preValidation = [...([] as preValidationHookHandler[]).concat(route.preValidation ?? []), check];
    });
  },
  { name: 'text-safety' },
);
