import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { mailOutbox } from '../../db/schema/index.js';

/** The sandbox mailbox: what we would have sent, newest first. */
const sandboxMailRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/sandbox/mail', {
    schema: {
      tags: ['Sandbox'],
      summary: 'Mail kept by the sandbox outbox, newest first',
      querystring: z.object({
        to: z.string().trim().toLowerCase().optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: {
        200: z.array(z.object({ to: z.string(), subject: z.string(), text: z.string(), html: z.string(), createdAt: z.string() })),
      },
    },
    handler: async (request) => {
      const { to, limit } = request.query;
      const rows = await app.ctx.db
        .select()
        .from(mailOutbox)
        .where(to ? eq(mailOutbox.to, to) : undefined)
        .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
        .limit(limit);
      return rows.map((m) => ({ to: m.to, subject: m.subject, text: m.text, html: m.html, createdAt: m.createdAt.toISOString() }));
    },
  });
};

export default sandboxMailRoutes;
