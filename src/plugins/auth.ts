import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import { clearCookie, requestCookie, setCookie } from '../lib/cookies.js';
import { findSession, type AuthContext } from '../modules/auth/sessions.js';
import { API_KEY_PREFIX, authenticateApiKey } from '../modules/api-keys/api-keys.service.js';
import { hasFeature, minimumTierFor, planGateDetails, PLANS, type Feature } from '../domain/plans.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    /** preValidation hook: 401 unless a live session cookie is present. */
    requireSession: (request: FastifyRequest) => Promise<void>;
    /** preValidation hook: resolves the session if there is one, never fails. */
    optionalSession: (request: FastifyRequest) => Promise<void>;
    /** preValidation hook factory: 403 unless the organization's plan includes the feature. */
    requireFeature: (feature: Feature) => (request: FastifyRequest) => Promise<void>;
    /** preValidation hook: 403 unless the caller is an owner or admin (members use, they don't manage). */
    requireManager: (request: FastifyRequest) => Promise<void>;
    /** preValidation hook: 403 unless the caller is the owner (API keys). */
    requireOwner: (request: FastifyRequest) => Promise<void>;
    /** preValidation hook: 403 for API keys: keys and members are managed from a signed-in browser only. */
    requireBrowserSession: (request: FastifyRequest) => Promise<void>;
    sessionCookie: {
      name: string;
      set(reply: FastifyReply, token: string, expiresAt: Date): void;
      clear(reply: FastifyReply): void;
    };
  }
}

/** What a gate hook refuses (read by the OpenAPI document, which publishes it as `x-plan-feature` / `x-role`). */
export interface GateMark {
  gate?: { feature?: Feature; role?: 'manager' | 'owner' };
}

const marked = <F extends (request: FastifyRequest) => Promise<void>>(hook: F, gate: NonNullable<GateMark['gate']>) => Object.assign(hook, { gate });

/** The gates a route's own preValidation hooks apply. */
export function gatesOf(hooks: unknown): NonNullable<GateMark['gate']> {
  const list = ([] as unknown[]).concat(hooks ?? []) as GateMark[];
  return Object.assign({}, ...list.map((h) => h.gate ?? {}));
}

/** The authenticated caller; only valid after requireSession ran. */
export function authOf(request: FastifyRequest): AuthContext {
  // Stryker disable next-line StringLiteral: unreachable by a request, requireSession refuses first; a guard for handlers
  if (!request.auth) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  return request.auth;
}

export default fp(
  async function authPlugin(app: FastifyInstance) {
    const secure = app.ctx.config.appUrl.startsWith('https://');
    // NextAuth's cookie names, so NextAuth-aware clients find the session where they expect it.
    const name = secure ? '__Secure-next-auth.session-token' : 'next-auth.session-token';
    const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };

    app.decorate('sessionCookie', {
      name,
      set: (reply: FastifyReply, token: string, expiresAt: Date) =>
        setCookie(reply, { name, value: token, ...cookieOptions, expires: expiresAt }),
      clear: (reply: FastifyReply) => clearCookie(reply, { name, ...cookieOptions }),
    });
    // Stryker disable next-line StringLiteral: equivalent, a shape hint for V8; resolve sets `auth` on every request it sees
    app.decorateRequest('auth', null);

    /** `Authorization: Bearer evk_…` (an API key) or the session cookie. */
    async function resolve(request: FastifyRequest) {
      const bearer = request.headers.authorization?.match(/^Bearer (.+)/)?.[1];
      if (bearer?.startsWith(API_KEY_PREFIX)) {
        request.auth = await authenticateApiKey(app.ctx, bearer);
        if (!request.auth) throw new AppError('UNAUTHORIZED', 'Invalid, expired or revoked API key');
        // The key's first 16 characters (12 random) name its bucket without another lookup, and keep the
        // secret out of the limiter's store (Redis). Stryker runs without Redis; test/rate-limit-redis.test.ts kills it.
        // Stryker disable next-line MethodExpression
        await app.apiKeyRateLimit(request, bearer.slice(0, 16));
        return;
      }
      const token = requestCookie(request, name);
      request.auth = token ? await findSession(app.ctx, token) : null;
    }

    app.decorate('optionalSession', resolve);
    app.decorate('requireSession', async (request: FastifyRequest) => {
      await resolve(request);
      if (!request.auth) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
    });
    app.decorate(
      'requireManager',
      marked(async (request: FastifyRequest) => {
        if (authOf(request).role === 'member') throw new AppError('FORBIDDEN', 'Only an owner or admin can do this');
      }, { role: 'manager' }),
    );
    app.decorate(
      'requireOwner',
      marked(async (request: FastifyRequest) => {
        if (authOf(request).role !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner can do this');
      }, { role: 'owner' }),
    );
    app.decorate('requireBrowserSession', async (request: FastifyRequest) => {
      if (authOf(request).via !== 'session') throw new AppError('FORBIDDEN', 'Sign in from the dashboard to do this; API keys cannot');
    });
    app.decorate('requireFeature', (feature: Feature) =>
      marked(async (request: FastifyRequest) => {
        const { plan } = authOf(request);
        if (!hasFeature(plan, feature)) {
          const needed = minimumTierFor(feature);
          throw new AppError('PLAN_REQUIRED', `This feature requires the ${PLANS[needed].label} plan or higher`, { details: planGateDetails(needed, feature) });
        }
      }, { feature }),
    );
  },
  // Stryker disable next-line ArrayDeclaration: a guard on registration order; app.ts registers rate-limit first, so the app is the same without it
  { name: 'auth', dependencies: ['rate-limit'] },
);
