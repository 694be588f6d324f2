import { refreshAllWebsites } from '../modules/knowledge/website-refresh.js';
import type { Job } from './job.js';

/** Daily: the business's website pages, re-read; the knowledge base follows when they changed. */
export const websiteRefreshJob: Job = { name: 'website-refresh', schedule: '30 4 * * *', run: refreshAllWebsites };
