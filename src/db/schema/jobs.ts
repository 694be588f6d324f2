import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per job run. A scheduled run claims (job, scheduled_for) first, so when several
 * app instances fire the same tick exactly one of them runs it.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    job: text('job').notNull(),
    /** The scheduler tick this run belongs to; null for runs started by the cron endpoint. */
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
    trigger: text('trigger', { enum: ['schedule', 'endpoint'] }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    result: jsonb('result'),
    error: text('error'),
  },
  (t) => [uniqueIndex('job_runs_tick_key').on(t.job, t.scheduledFor), index('job_runs_job_started_idx').on(t.job, t.startedAt)],
);
