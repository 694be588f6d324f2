import { applyRetention } from '../modules/privacy/privacy.service.js';
import type { Job } from './job.js';

/** Daily: transcripts and recordings past each organization's window are cleared; calls and minutes stay. */
export const retentionJob: Job = { name: 'retention', schedule: '30 3 * * *', run: applyRetention };
