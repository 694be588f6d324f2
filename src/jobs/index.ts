import { a2pStatusJob } from './a2p-status.js';
import { accountDeletionJob } from './account-deletion.js';
import { billingResetJob } from './billing-reset.js';
import type { Job } from './job.js';
import { overageBillingJob } from './overage-billing.js';
import { paymentRetryJob } from './payment-retry.js';
import { subscriptionGraceJob } from './subscription-grace.js';
import { syncCallsJob } from './sync-calls.js';
import { websiteRefreshJob } from './website-refresh.js';
import { webhookDeliveriesJob } from './webhook-deliveries.js';
import { notificationsJob } from './notifications.js';
import { dailyDigestJob } from './daily-digest.js';
import { retentionJob } from './retention.js';

/** Every cron job, in the order the reference lists them (then our own). */
export const JOBS: Job<object>[] = [billingResetJob, syncCallsJob, overageBillingJob, paymentRetryJob, a2pStatusJob, websiteRefreshJob, webhookDeliveriesJob, notificationsJob, dailyDigestJob, accountDeletionJob, subscriptionGraceJob, retentionJob];
