import { and, eq, sql } from 'drizzle-orm';
import { Cron } from 'croner';
import type { AppContext } from '../context.js';
import { jobRuns } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import type { Job } from './job.js';

/** A stable advisory-lock key per job name (FNV-1a 32-bit: small, deterministic). */
export function lockKeyOf(name: string): number {
  let h = 0x811c9dc5;
  for (const ch of name) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * Runs a job under its advisory lock and records the run. Two callers at once (two
 * instances, or the endpoint during a scheduled run): one runs, the other gets 409.
 */
export async function runJob<R extends object>(ctx: AppContext, job: Job<R>, scheduledFor?: Date): Promise<R> {
  const outcome = await ctx.withLock(lockKeyOf(job.name), async () => {
    const trigger = scheduledFor ? ('schedule' as const) : ('endpoint' as const);
    // A scheduled tick is claimed once across instances: the unique (job, scheduled_for) decides.
    const [run] = await ctx.db
      .insert(jobRuns)
      .values({ job: job.name, scheduledFor: scheduledFor ?? null, trigger })
      .onConflictDoNothing()
      .returning({ id: jobRuns.id });
    if (!run) return undefined;
    const started = performance.now();
    const measure = (outcome: 'ok' | 'failed') => {
      const ms = performance.now() - started;
      ctx.metrics.jobRuns.inc({ job: job.name, outcome });
      ctx.metrics.jobDuration.observe({ job: job.name }, ms / 1000);
      return Math.round(ms);
    };
    try {
      const result = await job.run(ctx);
      const ms = measure('ok');
      await ctx.db.update(jobRuns).set({ finishedAt: sql`now()`, result }).where(eq(jobRuns.id, run.id));
      ctx.log.info({ job: job.name, trigger, ms, result }, 'job finished');
      return result;
    } catch (err) {
      measure('failed');
      await ctx.db
        .update(jobRuns)
        .set({ finishedAt: sql`now()`, error: String((err as Error).message ?? err) })
        .where(eq(jobRuns.id, run.id));
      throw err;
    }
  });
  if (!outcome.ran || outcome.value === undefined) {
    throw new AppError('CONFLICT', `Job ${job.name} is already running or this tick already ran`);
  }
  return outcome.value;
}

/** When the job last finished without error (the sync job resumes from there). */
export async function lastSuccessfulRun(ctx: AppContext, name: string): Promise<Date | undefined> {
  const [row] = await ctx.db
    .select({ startedAt: jobRuns.startedAt })
    .from(jobRuns)
    .where(and(eq(jobRuns.job, name), sql`${jobRuns.finishedAt} is not null`, sql`${jobRuns.error} is null`))
    .orderBy(sql`${jobRuns.startedAt} desc`)
    .limit(1);
  return row?.startedAt;
}

export interface Scheduler {
  /** Jobs running right now (named in the shutdown report). */
  running(): string[];
  /** No new ticks; resolves once the runs in progress have finished and released their locks. */
  stop(): Promise<void>;
}

/** Starts croner for every job; each tick runs once across instances. */
export function startScheduler(ctx: AppContext, jobs: Job<object>[]): Scheduler {
  const inFlight = new Map<Promise<void>, string>();
  const crons = jobs.map(
    (job) =>
      new Cron(ctx.config.schedulerEverySecond ? '* * * * * *' : job.schedule, { timezone: job.timezone ?? 'UTC', protect: true, name: job.name }, (self: Cron) => {
        const tick = self.currentRun() ?? new Date();
        tick.setMilliseconds(0);
        const run = runJob(ctx, job, tick).then(
          () => {},
          (err) => {
            if (!(err instanceof AppError && err.code === 'CONFLICT')) ctx.log.error({ err, job: job.name }, 'scheduled job failed');
          },
        );
        inFlight.set(run, job.name);
        return run.finally(() => inFlight.delete(run));
      }),
  );
  return {
    running: () => [...inFlight.values()],
    async stop() {
      crons.forEach((c) => c.stop());
      await Promise.all(inFlight.keys());
    },
  };
}
