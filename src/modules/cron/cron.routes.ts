import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { JOBS } from '../../jobs/index.js';
import { runJob } from '../../jobs/runner.js';
import { safeEqual } from '../../lib/tokens.js';
import { ErrorResponses } from '../../plugins/openapi.js';

/** "Cron Jobs": each job behind `Authorization: Bearer <CRON_SECRET>`, compared in constant time. */
const cronRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token || !safeEqual(token, ctx.config.cronSecret)) {
      throw new AppError('UNAUTHORIZED', 'Authorization: Bearer <CRON_SECRET> is required');
    }
  });

  for (const job of JOBS) {
    app.get(`/api/cron/${job.name}`, {
      schema: {
        tags: ['Cron Jobs'],
        security: [{ cron: [] }],
        summary: `Run ${job.name} now (also scheduled: ${job.schedule}${job.timezone ? ` ${job.timezone}` : ' UTC'})`,
        response: { 200: z.record(z.string(), z.number()), ...ErrorResponses },
      },
      handler: async () => (await runJob(ctx, job)) as Record<string, number>,
    });
  }
};

export default cronRoutes;
