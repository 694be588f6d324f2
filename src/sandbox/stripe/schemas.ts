import { z } from 'zod';

/** zod for Stripe's form parameters: every value arrives as a string (see form.ts). */

/** Up to 50 keys, keys up to 40 characters, values up to 500 (Stripe's limits). */
export const Metadata = z
  .record(z.string().max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= 50, 'at most 50 keys');

/** Integers as stripe-node writes them (`amount=1234`). */
export const Integer = z.coerce.number().int();

export const Bool = z.stringbool({ truthy: ['true'], falsy: ['false'] });

/** `expand[]` is accepted everywhere; the emulator answers ids unexpanded. */
export const Expand = z.array(z.string()).optional();

export const IdParams = z.object({ id: z.string().min(1) });
