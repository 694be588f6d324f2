import { z } from 'zod';
import { LIMITS } from '../../domain/limits.js';

export const Email = z.email('Enter a valid email address').max(LIMITS.email);
export const NewPassword = z
  .string()
  .min(LIMITS.passwordMin, `Password must be at least ${LIMITS.passwordMin} characters`)
  .max(LIMITS.passwordMax, `Password can be at most ${LIMITS.passwordMax} characters`);
/** Opaque tokens we minted: 43 base64url chars; anything far off is rejected as input. */
const Token = z.string().min(16).max(128);

/** A person's name, at sign-up and on the Account page. */
export const PersonName = z.string().trim().min(1, 'Name is required').max(LIMITS.personName, `Name must be at most ${LIMITS.personName} characters`);

export const RegisterBody = z.object({
  name: PersonName,
  email: Email,
  password: NewPassword,
  organizationName: z.string().trim().min(1, 'Business name is required').max(LIMITS.businessName),
});
export const RegisterResponse = z.object({
  message: z.string(),
  organizationId: z.string(),
  userId: z.string(),
});

export const EmailBody = z.object({ email: Email });
export const MessageResponse = z.object({ message: z.string() });
export const SuccessResponse = z.object({ success: z.literal(true) });

export const ResetPasswordBody = z.object({ token: Token, password: NewPassword });

export const ChangePasswordBody = z
  .object({
    currentPassword: z.string().max(256).optional(),
    newPassword: NewPassword,
    forced: z.boolean().optional().default(false),
  })
  .refine((b) => b.forced || b.currentPassword, {
    message: 'currentPassword is required unless forced is true',
    path: ['currentPassword'],
  });

export const MagicLinkQuery = z.object({ token: Token });

export const CsrfResponse = z.object({ csrfToken: z.string() });

export const CredentialsBody = z.object({
  csrfToken: z.string().max(200).optional(),
  email: Email,
  password: z.string().min(1, 'Password is required').max(256),
  callbackUrl: z.string().max(2000).optional(),
  /** NextAuth's client sends json=true to get `{ url }` instead of a redirect. */
  json: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
});
export const UrlResponse = z.object({ url: z.string() });

export const SessionUser = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  organizationId: z.string(),
  role: z.string(),
  plan: z.string(),
  mustChangePassword: z.boolean(),
});
export const SessionResponse = z.union([
  z.object({ user: SessionUser, expires: z.string() }),
  z.object({}).strict(),
]);
