import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import { findSession, type AuthContext } from '../modules/auth/sessions.js';
import { hasFeature, minimumTierFor, PLANS, type Feature } from '../domain/plans.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    /** preHandler: 401 unless a live session cookie is present. */
    requireSession: (request: FastifyRequest) => Promise<void>;
    /** preHandler: resolves the session if there is one, never fails. */
    optionalSession: (request: FastifyRequest) => Promise<void>;
    /** preHandler factory: 403 unless the organization's plan includes the feature. */
    requireFeature: (feature: Feature) => (request: FastifyRequest) => Promise<void>;
    sessionCookie: {
      name: string;
      set(reply: FastifyReply, token: string, expiresAt: Date): void;
      clear(reply: FastifyReply): void;
    };
  }
}

/** The authenticated caller; only valid after requireSession ran. */
export function authOf(request: FastifyRequest): AuthContext {
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
        void reply.setCookie(name, token, { ...cookieOptions, expires: expiresAt }),
      clear: (reply: FastifyReply) => void reply.clearCookie(name, cookieOptions),
    });
    app.decorateRequest('auth', null);

    async function resolve(request: FastifyRequest) {
      const token = request.cookies[name];
      request.auth = token ? await findSession(app.ctx, token) : null;
    }

    app.decorate('optionalSession', resolve);
    app.decorate('requireSession', async (request: FastifyRequest) => {
      await resolve(request);
      if (!request.auth) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
    });
    app.decorate('requireFeature', (feature: Feature) => async (request: FastifyRequest) => {
      const { plan } = authOf(request);
      if (!hasFeature(plan, feature)) {
        const needed = PLANS[minimumTierFor(feature)].label;
        throw new AppError('PLAN_REQUIRED', `This feature requires the ${needed} plan or higher`);
      }
    });
  },
  { name: 'auth', dependencies: ['@fastify/cookie'] },
);
