import { parseCookie, stringifySetCookie, type Cookies, type SetCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

const parsed = new WeakMap<FastifyRequest, Cookies>();

/**
 * One cookie of the request, parsed on first use rather than by a hook on every request:
 * most requests (webhooks, health checks, static files) never read cookies.
 */
export function requestCookie(request: FastifyRequest, name: string): string | undefined {
  let cookies = parsed.get(request);
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, parsing again gives the same cookies, and so does any text without `=`
  if (!cookies) parsed.set(request, (cookies = parseCookie(request.headers.cookie ?? '')));
  return cookies[name];
}

/** Adds a Set-Cookie header (Fastify keeps one header per call). */
export function setCookie(reply: FastifyReply, cookie: SetCookie) {
  void reply.header('set-cookie', stringifySetCookie(cookie));
}

/** Tells the browser to drop a cookie set with these attributes. */
export function clearCookie(reply: FastifyReply, cookie: Omit<SetCookie, 'value' | 'expires' | 'maxAge'>) {
  setCookie(reply, { ...cookie, value: '', expires: new Date(0), maxAge: 0 });
}
