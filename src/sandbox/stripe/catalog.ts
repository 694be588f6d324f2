import { PLANS } from '../../domain/plans.js';
import { PAID_TIERS, priceLookupKey } from '../../providers/stripe/prices.js';
import { PRICE_DEFAULTS } from './defaults.js';
import type { PriceObject } from './state.js';

/** Fixed so that price ids and `created` never change between restarts. */
const CATALOG_CREATED = 1_767_225_600; // 2026-01-01T00:00:00Z

/**
 * The sandbox account's price catalog: one monthly USD price per paid tier, `price_<lookup_key>`,
 * amounts from domain/plans.ts. Static configuration rather than emulated state: the emulator
 * answers it from code and does not create prices.
 */
export const PRICES: PriceObject[] = PAID_TIERS.map((tier) => {
  const lookupKey = priceLookupKey(tier);
  const amount = PLANS[tier].priceCents;
  return {
    ...PRICE_DEFAULTS,
    id: `price_${lookupKey}`,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: CATALOG_CREATED,
    currency: 'usd',
    livemode: false,
    lookup_key: lookupKey,
    metadata: { tier },
    nickname: `${PLANS[tier].label} monthly`,
    product: `prod_${lookupKey}`,
    recurring: { interval: 'month', interval_count: 1, meter: null, usage_type: 'licensed' },
    tax_behavior: 'unspecified',
    type: 'recurring',
    unit_amount: amount,
    unit_amount_decimal: String(amount),
  };
});

export const findPrice = (id: string) => PRICES.find((price) => price.id === id);

/** Display name of a price's plan ("Starter"). */
export const planLabel = (price: PriceObject) => price.nickname?.replace(/ monthly$/, '') ?? price.id;

export const usd = (cents: number) => `$${(cents / 100).toFixed(2)}`;
