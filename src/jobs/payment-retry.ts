import { retryFailedPayments } from '../modules/billing/overage.service.js';
import type { Job } from './job.js';

/** Daily: failed overage payments charged again after 1, 2 and 4 days, then given up. */
export const paymentRetryJob: Job = { name: 'payment-retry', schedule: '0 12 * * *', run: retryFailedPayments };
