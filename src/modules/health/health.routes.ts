import { readFileSync } from 'node:fs';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { MIGRATIONS_FOLDER, queryRows } from '../../db/client.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import type { AccessLog } from '../../lib/request-log.js';
import { answerHealthEarly } from './early-health.js';

/** A database answer is trusted this long, so a load balancer's polling costs no query each time. */
const HEALTH_TTL_MS = 1_000;

const READY_CHECKS = ['database', 'migrations', 'draining'] as const;
const ReadyBody = z.object({
  status: z.enum(['ready', 'unavailable']),
  /** true = the check passed. */
  checks: z.object({ database: z.boolean(), migrations: z.boolean(), draining: z.boolean() }),
  failed: z.array(z.enum(READY_CHECKS)),
});

const isUndefinedTable = (err: unknown) => {
  const e = err as { code?: string; cause?: { code?: string } } | undefined;
  return e?.code === '42P01' || e?.cause?.code === '42P01';
};

const healthRoutes: FastifyPluginAsyncZod<{ accessLog?: AccessLog }> = async (app, { accessLog }) => {
  let checkedAt = -Infinity;
  let checking: Promise<void> | undefined;
  const fresh = () => performance.now() - checkedAt <= HEALTH_TTL_MS;
  // One check at a time: under load a stale answer meets every connection's probe at once, and
  // each running its own query would queue them all on the database (PGlite has one connection).
  const check = () =>
    (checking ??= app.ctx.db
      .execute(sql`select 1`)
      .then(
        () => void (checkedAt = performance.now()),
        (err: unknown) => {
          app.log.error({ err }, 'health check: database unreachable');
          throw new AppError('INTERNAL', 'Database unavailable');
        },
      )
      .finally(() => (checking = undefined)));
  app.get('/api/health', {
    schema: { tags: ['Health'], summary: 'Liveness: ok once the database answers (checked at most once a second)', response: { 200: z.object({ status: z.literal('ok') }) } },
    handler: async () => {
      if (!fresh()) await check();
      return { status: 'ok' as const };
    },
  });
  answerHealthEarly(app, fresh, accessLog);

  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
  const expectedMigrations = journal.entries.length;
  app.get('/api/ready', {
    schema: {
      tags: ['Health'],
      summary: 'Readiness: 200 only when the database answers, every migration is applied and the process is not draining',
      description: '503 names the failed checks. Turns 503 at once on SIGTERM, while requests are still served for SHUTDOWN_DRAIN_MS.',
      response: { 200: ReadyBody, 503: ReadyBody },
    },
    handler: async (_request, reply) => {
      const checks = { database: false, migrations: false, draining: !app.ctx.lifecycle.draining };
      try {
        const [row] = await queryRows<{ n: number }>(app.ctx.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
        checks.database = true;
        checks.migrations = (row?.n ?? 0) >= expectedMigrations;
      } catch (err) {
        // No migrations table yet: the database answered, nothing is applied.
        checks.database = isUndefinedTable(err);
        if (!checks.database) app.log.warn({ err }, 'readiness: database check failed');
      }
      const failed = READY_CHECKS.filter((name) => !checks[name]);
      return reply.code(failed.length ? 503 : 200).send({ status: failed.length ? 'unavailable' : 'ready', checks, failed });
    },
  });

  // Prometheus text (the series: src/lib/metrics.ts); METRICS_PORT serves it without auth instead (plugins/metrics.ts).
  const { metricsToken } = app.ctx.config;
  if (metricsToken) {
    const digest = (s: string) => createHash('sha256').update(s).digest();
    const expected = digest(metricsToken);
    app.get('/metrics', {
      schema: {
        tags: ['Health'],
        summary: 'Prometheus metrics (text format); only when METRICS_TOKEN is set',
        security: [{ metrics: [] }],
        response: { 200: z.string(), ...ErrorResponses },
      },
      preValidation: async (request) => {
        const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
        if (!given || !timingSafeEqual(digest(given), expected)) throw new AppError('UNAUTHORIZED', 'A valid metrics token is required');
      },
      handler: async (_request, reply) => {
        reply.type(app.ctx.metrics.registry.contentType);
        return app.ctx.metrics.registry.metrics();
      },
    });
  }
};

export default healthRoutes;
