import { z } from 'zod';
import { Email, PersonName } from './auth.schemas.js';

export const AccountPatchBody = z.object({ name: PersonName });
export const AccountResponse = z.object({ name: z.string(), email: z.string() });

export const EmailChangeBody = z.object({
  email: Email,
  /** Asked again, so a session left open on a shared computer cannot move the account to another inbox. */
  currentPassword: z.string().min(1, 'Enter your current password').max(256),
});
export const EmailChangeResponse = z.object({ message: z.string(), pendingEmail: z.string() });

export const EmailConfirmQuery = z.object({ token: z.string().min(16).max(128) });
export const EmailConfirmResponse = z.object({ email: z.string() });
