import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import { AppError } from '../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * preHandler factory for the auth endpoints: at most `AUTH_RATE_LIMIT_PER_MIN` a minute
     * per client IP, and as many per email address named in the body (a spread-out attack on
     * one account). 429 with Retry-After.
     */
    authRateLimit: (action: string) => (request: FastifyRequest) => Promise<void>;
  }
}

export default fp(
  async function rateLimitPlugin(app: FastifyInstance) {
    const { redisUrl, authRateLimitPerMin } = app.ctx.config;
    const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 }) : undefined;
    if (redis) app.addHook('onClose', async () => void (await redis.quit()));

    await app.register(rateLimit, { global: false, redis, nameSpace: 'ev-rl:', skipOnError: true });
    const check = app.createRateLimit({
      max: authRateLimitPerMin,
      timeWindow: 60_000,
      keyGenerator: (request) => (request as FastifyRequest & { rateKey: string }).rateKey,
    });

    app.decorate('authRateLimit', (action: string) => async (request: FastifyRequest) => {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      const keys = [`${action}:ip:${request.ip}`];
      if (typeof email === 'string') keys.push(`${action}:email:${email.trim().toLowerCase()}`);
      for (const key of keys) {
        (request as FastifyRequest & { rateKey: string }).rateKey = key;
        const result = await check(request);
        if (!result.isAllowed && result.isExceeded) {
          throw new AppError('RATE_LIMITED', `Too many attempts; try again in ${result.ttlInSeconds} seconds`, {
            retryAfterSeconds: result.ttlInSeconds,
          });
        }
      }
    });
  },
  { name: 'rate-limit' },
);
