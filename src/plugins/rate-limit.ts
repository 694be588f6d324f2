import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * preHandler factory for the auth endpoints: at most `AUTH_RATE_LIMIT_PER_MIN` a minute
     * per client IP, and as many per email address named in the body (a spread-out attack on
     * one account). 429 with Retry-After.
     */
    authRateLimit: (action: string) => (request: FastifyRequest) => Promise<void>;
    /** Throws 429 once an API key made more than API_KEY_RATE_LIMIT_PER_MIN requests this minute. */
    apiKeyRateLimit: (request: FastifyRequest, apiKeyId: string) => Promise<void>;
  }
}

export default fp(
  async function rateLimitPlugin(app: FastifyInstance) {
    const { redisUrl, authRateLimitPerMin, apiKeyRateLimitPerMin } = app.ctx.config;
    // Loaded only when configured: a single instance keeps its counters in memory.
    const redis = redisUrl ? new (await import('ioredis')).Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 }) : undefined;
    if (redis) app.addHook('onClose', async () => void (await redis.quit()));

    await app.register(rateLimit, { global: false, redis, nameSpace: 'ev-rl:', skipOnError: true });
    const check = app.createRateLimit({
      max: authRateLimitPerMin,
      timeWindow: 60_000,
      keyGenerator: (request) => (request as FastifyRequest & { rateKey: string }).rateKey,
    });

    const checkApiKey = app.createRateLimit({
      max: apiKeyRateLimitPerMin,
      timeWindow: 60_000,
      keyGenerator: (request) => (request as FastifyRequest & { rateKey: string }).rateKey,
    });

    async function enforce(limiter: typeof check, request: FastifyRequest, key: string, what: string) {
      (request as FastifyRequest & { rateKey: string }).rateKey = key;
      const result = await limiter(request);
      if (!result.isAllowed && result.isExceeded) {
        throw new AppError('RATE_LIMITED', `Too many ${what}; try again in ${result.ttlInSeconds} seconds`, {
          retryAfterSeconds: result.ttlInSeconds,
        });
      }
    }

    app.decorate('authRateLimit', (action: string) => async (request: FastifyRequest) => {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      await enforce(check, request, `${action}:ip:${request.ip}`, 'attempts');
      if (typeof email === 'string') await enforce(check, request, `${action}:email:${email.trim().toLowerCase()}`, 'attempts');
    });
    app.decorate('apiKeyRateLimit', (request: FastifyRequest, apiKeyId: string) =>
      enforce(checkApiKey, request, `apikey:${apiKeyId}`, 'requests with this API key'),
    );
  },
  { name: 'rate-limit' },
);
