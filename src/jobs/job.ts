import type { AppContext } from '../context.js';

/** A cron job: a plain function, run by its /api/cron endpoint and by the scheduler. */
export interface Job<R extends object = Record<string, number>> {
  name: string;
  /** Cron expression (croner syntax) and the zone it is read in. */
  schedule: string;
  timezone?: string;
  run(ctx: AppContext): Promise<R>;
}
