import { sendDailyDigests } from '../modules/insights/digest.service.js';
import type { Job } from './job.js';

/** Hourly, so each organization is reached in its own 7 AM hour; each user gets a day's digest once. */
export const dailyDigestJob: Job = { name: 'daily-digest', schedule: '0 * * * *', run: sendDailyDigests };
