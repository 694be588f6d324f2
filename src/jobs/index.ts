import { a2pStatusJob } from './a2p-status.js';
import { billingResetJob } from './billing-reset.js';
import type { Job } from './job.js';
import { syncCallsJob } from './sync-calls.js';
import { websiteRefreshJob } from './website-refresh.js';

/** Every cron job, in the order the reference lists them. */
export const JOBS: Job<object>[] = [billingResetJob, syncCallsJob, a2pStatusJob, websiteRefreshJob];
