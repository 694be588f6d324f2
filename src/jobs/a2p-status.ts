import { advancePendingRegistrations } from '../modules/a2p/a2p.service.js';
import type { Job } from './job.js';

export const a2pStatusJob: Job = { name: 'a2p-status', schedule: '0 9 * * *', run: advancePendingRegistrations };
