import { billWeeklyOverage } from '../modules/billing/overage.service.js';
import type { Job } from './job.js';

/**
 * Weekly, Monday 6:00 New York time: the past ISO week's overage, one Stripe invoice per
 * organization and week, keyed `overage:<organization>:<ISO week>` so a rerun bills nothing twice.
 */
export const overageBillingJob: Job = {
  name: 'overage-billing',
  schedule: '0 6 * * 1',
  timezone: 'America/New_York',
  run: (ctx) => billWeeklyOverage(ctx),
};
