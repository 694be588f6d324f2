import { deleteCancelledOrganizations } from '../modules/billing/account-deletion.service.js';
import type { Job } from './job.js';

/** Daily: organizations past the deletionAt their cancellation showed are released and deleted. */
export const accountDeletionJob: Job = { name: 'account-deletion', schedule: '0 5 * * *', run: deleteCancelledOrganizations };
