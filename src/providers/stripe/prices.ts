import type { PlanTier } from '../../domain/plans.js';

/** The tiers sold through Stripe (the free trial has no price). */
export const PAID_TIERS = ['STARTER', 'ADVANCED', 'PRO', 'ENTERPRISE'] as const satisfies readonly PlanTier[];
export type PaidTier = (typeof PAID_TIERS)[number];

/**
 * Each tier's monthly price is found by its `lookup_key`, never by a hard-coded price id:
 * a real account creates one recurring USD price per tier with these keys (amounts from
 * domain/plans.ts), and the sandbox emulator seeds them as `price_<key>`.
 */
export const priceLookupKey = (tier: PaidTier): string => tier.toLowerCase();

/** The tier a price stands for, from its lookup key; null for a price that is not one of ours. */
export const tierOfLookupKey = (lookupKey: string | null | undefined): PaidTier | null =>
  PAID_TIERS.find((tier) => priceLookupKey(tier) === lookupKey) ?? null;
