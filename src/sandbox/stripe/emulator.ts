import type { AppContext } from '../../context.js';
import { createEventBus, type EventBus } from './events.js';
import { stripeStores, type StripeStores } from './state.js';

/** What every part of the Stripe emulator works with. */
export interface Emulator {
  ctx: AppContext;
  stores: StripeStores;
  events: EventBus;
  /** The app's clock in unix seconds (tests may move it). */
  now(): number;
  /** A page the emulator hosts (Checkout, portal, invoice), on our public base URL like Stripe's own pages. */
  pageUrl(path: string): string;
}

export function createEmulator(ctx: AppContext): Emulator {
  const stores = stripeStores(ctx.db);
  return {
    ctx,
    stores,
    events: createEventBus(ctx, stores),
    now: () => Math.floor(ctx.now().getTime() / 1000),
    pageUrl: (path) => `${ctx.config.appUrl}/sandbox/stripe${path}`,
  };
}
