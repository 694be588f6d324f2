import type { FastifyRequest } from 'fastify';

/** Query parameters that carry a credential (magic-link and invite tokens, OAuth codes, keys, signatures). */
const SECRET_QUERY_KEY = /token|code|secret|key|sig|password|auth|state|session/i;

/** Headers that carry a credential: never in a log line, wherever they appear. */
export const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-vapi-secret', 'x-vapi-signature', 'x-twilio-signature', 'stripe-signature', 'x-admin-key'];

export const REDACTED = '[redacted]';

/** The URL with the value of every credential-bearing query parameter replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of new Set(params.keys())) if (SECRET_QUERY_KEY.test(key)) params.set(key, REDACTED);
  return `${url.slice(0, q)}?${params.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED)}`;
}

/** Header paths pino censors: in a request, in a `headers` object, one level down, and in errors' requests. */
const headerPaths = SECRET_HEADERS.flatMap((h) => [`req.headers["${h}"]`, `headers["${h}"]`, `*.headers["${h}"]`, `res.headers["${h}"]`]);

/**
 * Fastify's logger options: the request is logged as method, URL (credentials censored) and
 * peer; secret headers are censored on every line, should anything log them.
 */
export function loggerOptions(level: string) {
  return {
    level,
    redact: { paths: headerPaths, censor: REDACTED },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}
