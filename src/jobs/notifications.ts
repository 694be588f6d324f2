import type { AppContext } from '../context.js';
import { sendDueNotifications } from '../modules/notifications/notifications.worker.js';
import type { Job } from './job.js';

/**
 * The notification queue's safety net: every minute, sends what is due (retries, SMS held
 * for quiet hours, and rows whose prompt kick was lost, e.g. to a crash).
 */
export const notificationsJob: Job = { name: 'notifications', schedule: '* * * * *', run: (ctx: AppContext) => sendDueNotifications(ctx) };
