import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { requestCookie, setCookie } from '../../lib/cookies.js';
import { hmacSha256, randomToken, safeEqual } from '../../lib/tokens.js';
import * as s from './auth.schemas.js';
import { authenticate } from './auth.service.js';
import { createSession, revokeSessionByToken } from './sessions.js';

const tags = ['Authentication'];

/**
 * The NextAuth-compatible login surface of the run contract: csrf, credentials callback,
 * session and signout, with NextAuth's cookie names and its double-submit CSRF token.
 */
const nextAuthRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const secure = ctx.config.appUrl.startsWith('https://');
  const csrfCookie = secure ? '__Host-next-auth.csrf-token' : 'next-auth.csrf-token';
  const sign = (token: string) => hmacSha256(ctx.config.authSecret, `csrf:${token}`);

  /** The cookie carries `token|hmac`; the form must echo the token. */
  function checkCsrf(request: FastifyRequest, submitted: string | undefined) {
    const [token, mac] = (requestCookie(request, csrfCookie) ?? '').split('|');
    if (!submitted || !token || !mac || !safeEqual(mac, sign(token)) || !safeEqual(token, submitted)) {
      throw new AppError('FORBIDDEN', 'Missing or invalid CSRF token: GET /api/auth/csrf first');
    }
  }

  /** Same-origin paths only: a login must never bounce the user to another site. */
  function safeCallback(callbackUrl: string | undefined) {
    if (!callbackUrl) return `${ctx.config.appUrl}/dashboard`;
    if (callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') && !callbackUrl.includes('\\')) {
      return `${ctx.config.appUrl}${callbackUrl}`;
    }
    try {
      const url = new URL(callbackUrl);
      if (url.origin === new URL(ctx.config.appUrl).origin) return url.href;
    } catch {
      /* not a URL: fall through */
    }
    return `${ctx.config.appUrl}/dashboard`;
  }

  const wantsJson = (request: FastifyRequest, json: unknown) =>
    json === true || json === 'true' || !!request.headers['content-type']?.includes('application/json');

  const respond = (reply: FastifyReply, asJson: boolean, url: string) =>
    asJson ? reply.send({ url }) : reply.redirect(url);

  app.get('/api/auth/csrf', {
    schema: { tags, summary: 'Get a CSRF token for the credentials and signout forms', response: { 200: s.CsrfResponse } },
    handler: async (request, reply) => {
      const [existing, mac] = (requestCookie(request, csrfCookie) ?? '').split('|');
      let token = existing && mac && safeEqual(mac, sign(existing)) ? existing : undefined;
      if (!token) {
        token = randomToken();
        setCookie(reply, { name: csrfCookie, value: `${token}|${sign(token)}`, path: '/', httpOnly: true, sameSite: 'lax', secure });
      }
      return { csrfToken: token };
    },
  });

  app.post('/api/auth/callback/credentials', {
    preHandler: app.authRateLimit('login'),
    schema: {
      tags,
      summary: 'Sign in with email and password (form-encoded or JSON); sets the session cookie',
      body: s.CredentialsBody,
      response: { 200: s.UrlResponse, ...ErrorResponses },
    },
    handler: async (request, reply) => {
      const { email, password, csrfToken, callbackUrl, json } = request.body;
      checkCsrf(request, csrfToken);
      const asJson = wantsJson(request, json);
      let user;
      try {
        user = await authenticate(ctx, email, password);
      } catch (err) {
        if (!asJson && err instanceof AppError) return reply.redirect(`/login?error=CredentialsSignin`);
        throw err;
      }
      const session = await createSession(ctx, user.id);
      app.sessionCookie.set(reply, session.token, session.expiresAt);
      return respond(reply, asJson, safeCallback(callbackUrl));
    },
  });

  app.get('/api/auth/session', {
    preHandler: app.optionalSession,
    schema: {
      tags,
      summary: 'The signed-in user and session expiry, or {} when signed out',
      response: { 200: s.SessionResponse },
    },
    handler: async (request) => {
      const a = request.auth;
      if (!a) return {} as Record<string, never>;
      return {
        user: {
          id: a.userId,
          name: a.name,
          email: a.email,
          organizationId: a.organizationId,
          role: a.role,
          plan: a.plan,
          mustChangePassword: a.mustChangePassword,
        },
        expires: a.expiresAt.toISOString(),
      };
    },
  });

  app.post('/api/auth/signout', {
    schema: {
      tags,
      summary: 'End the current session',
      response: { 200: s.UrlResponse },
    },
    handler: async (request, reply) => {
      const token = requestCookie(request, app.sessionCookie.name);
      if (token) await revokeSessionByToken(ctx, token);
      app.sessionCookie.clear(reply);
      return { url: `${ctx.config.appUrl}/login` };
    },
  });
};

export default nextAuthRoutes;
