import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../errors.js';

/** A database answer is trusted this long, so a load balancer's polling costs no query each time. */
const HEALTH_TTL_MS = 1_000;

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  let checkedAt = -Infinity;
  app.get('/api/health', {
    schema: { tags: ['Health'], summary: 'ok once the database answers', response: { 200: z.object({ status: z.literal('ok') }) } },
    handler: async () => {
      if (performance.now() - checkedAt > HEALTH_TTL_MS) {
        try {
          await app.ctx.db.execute(sql`select 1`);
        } catch (err) {
          app.log.error({ err }, 'health check: database unreachable');
          throw new AppError('INTERNAL', 'Database unavailable');
        }
        checkedAt = performance.now();
      }
      return { status: 'ok' as const };
    },
  });
};

export default healthRoutes;
