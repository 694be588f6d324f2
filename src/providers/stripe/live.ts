import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import type { ProviderOptions } from '../index.js';
import { ProviderError } from '../errors.js';
import { DEFAULT_RETRY, retryDelayMs } from '../http.js';
import { SUBSCRIPTION_STATUSES } from '../../domain/subscriptions.js';
import { priceLookupKey, tierOfLookupKey, type PaidTier } from './prices.js';
import {
  WebhookSignatureError,
  type BillingEvent,
  type CheckoutSession,
  type Customer,
  type Invoice,
  type InvoiceStatus,
  type StripeProvider,
  type Subscription,
} from './port.js';

/** The SDK itself retries 5xx and 409 (lock timeouts), reusing the request's Idempotency-Key. */
const MAX_NETWORK_RETRIES = 2;
/** Stripe's 429 is left to us: retried honoring Retry-After (every write carries a key). */
const RATE_LIMIT_RETRIES = 2;
const TIMEOUT_MS = 20_000;
/** Stripe's own recommendation: reject signatures older than five minutes (replays). */
const WEBHOOK_TOLERANCE_SECONDS = 300;

const INVOICE_STATUSES: readonly InvoiceStatus[] = ['draft', 'open', 'paid', 'uncollectible', 'void'];

/** A value Stripe documents as one of `known` (its SDK types allow any string): anything else reads as `fallback`. */
const oneOf = <T extends string>(value: string | null, known: readonly T[], fallback: T): T => known.find((k) => k === value) ?? fallback;

const fromUnix = (seconds: number) => new Date(seconds * 1000);
const idOf = (ref: string | { id: string } | null | undefined) => (typeof ref === 'string' ? ref : (ref?.id ?? null));
const metadataOf = (metadata: Stripe.Metadata | null | undefined): Record<string, string> => ({ ...metadata });

/** Sends the SDK's requests (always to https://api.stripe.com/v1/…) to the emulator's base URL instead. */
function fetchVia(baseUrl: string): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return fetch(`${baseUrl}${url.pathname}${url.search}`, init);
  };
}

function toProviderError(operation: string, err: unknown): ProviderError {
  if (err instanceof Stripe.errors.StripeError) {
    const detail = [err.statusCode && `HTTP ${err.statusCode}`, err.code, err.message].filter(Boolean).join(' ');
    return new ProviderError('stripe', err.statusCode, `${operation}: ${detail}`, { cause: err });
  }
  return new ProviderError('stripe', undefined, `${operation}: ${(err as Error).message}`, { cause: err });
}

/** Runs one SDK call, retrying a 429 after Retry-After; failures become ProviderError (status kept). */
async function request<T>(operation: string, send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeRateLimitError) || attempt >= RATE_LIMIT_RETRIES) throw toProviderError(operation, err);
      await sleep(retryDelayMs(attempt, DEFAULT_RETRY, err.headers?.['retry-after']));
    }
  }
}

function toCustomer(customer: Stripe.Customer): Customer {
  return { id: customer.id, email: customer.email, name: customer.name ?? null, organizationId: customer.metadata.organizationId ?? null };
}

function toSubscription(sub: Stripe.Subscription): Subscription {
  // Since API 2025-03-31 the billing period lives on the items; ours have exactly one.
  const item = sub.items.data[0];
  if (!item) throw new ProviderError('stripe', undefined, `subscription ${sub.id} has no items`);
  return {
    id: sub.id,
    customerId: idOf(sub.customer) ?? '',
    // A status newer than this code is treated as not paying.
    status: oneOf(sub.status, SUBSCRIPTION_STATUSES, 'incomplete'),
    priceId: item.price.id,
    tier: tierOfLookupKey(item.price.lookup_key),
    currentPeriodStart: fromUnix(item.current_period_start),
    currentPeriodEnd: fromUnix(item.current_period_end),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    canceledAt: sub.canceled_at ? fromUnix(sub.canceled_at) : null,
    endedAt: sub.ended_at ? fromUnix(sub.ended_at) : null,
    metadata: metadataOf(sub.metadata),
  };
}

function toCheckoutSession(session: Stripe.Checkout.Session): CheckoutSession {
  return {
    id: session.id,
    mode: oneOf(session.mode, ['subscription', 'payment', 'setup'], 'setup'),
    status: oneOf(session.status, ['open', 'complete', 'expired'], 'open'),
    // A status newer than this code is not taken for paid.
    paymentStatus: oneOf(session.payment_status, ['paid', 'unpaid', 'no_payment_required'], 'unpaid'),
    customerId: idOf(session.customer),
    subscriptionId: idOf(session.subscription),
    organizationId: session.client_reference_id ?? session.metadata?.organizationId ?? null,
    amountTotalCents: session.amount_total ?? 0,
    url: session.url,
    metadata: metadataOf(session.metadata),
  };
}

function toInvoice(invoice: Stripe.Invoice): Invoice {
  return {
    id: invoice.id,
    customerId: idOf(invoice.customer) ?? '',
    subscriptionId: idOf(invoice.parent?.subscription_details?.subscription),
    status: oneOf(invoice.status, INVOICE_STATUSES, 'draft'),
    amountDueCents: invoice.amount_due,
    amountPaidCents: invoice.amount_paid,
    currency: invoice.currency,
    description: invoice.description,
    hostedUrl: invoice.hosted_invoice_url ?? null,
    attemptCount: invoice.attempt_count,
    metadata: metadataOf(invoice.metadata),
  };
}

/** The fields of an event's object that tie it to a customer, subscription and organization. */
interface EventSubject {
  id: string;
  object: string;
  customer?: string | { id: string } | null;
  subscription?: string | { id: string } | null;
  client_reference_id?: string | null;
  metadata?: Stripe.Metadata | null;
  parent?: Stripe.Invoice.Parent | null;
}

function toBillingEvent(event: Stripe.Event): BillingEvent {
  const object = event.data.object as unknown as EventSubject;
  const subscription = object.object === 'subscription' ? toSubscription(object as unknown as Stripe.Subscription) : undefined;
  const invoice = object.object === 'invoice' ? toInvoice(object as unknown as Stripe.Invoice) : undefined;
  const subscriptionDetails = object.parent?.subscription_details;
  return {
    id: event.id,
    type: event.type,
    createdAt: fromUnix(event.created),
    objectType: object.object,
    objectId: object.id,
    customerId: idOf(object.customer),
    subscriptionId: subscription?.id ?? idOf(object.subscription) ?? invoice?.subscriptionId ?? null,
    organizationId:
      object.client_reference_id ?? object.metadata?.organizationId ?? subscriptionDetails?.metadata?.organizationId ?? null,
    subscription,
    invoice,
  };
}

/** The only file that talks to Stripe, through the official SDK (pointed at the emulator in the sandbox). */
export function createStripeProvider(opts: ProviderOptions): StripeProvider {
  let client: Stripe | undefined;
  const stripe = () => {
    const key = opts.config.stripe.secretKey;
    if (!key) throw new ProviderError('stripe', undefined, 'STRIPE_SECRET_KEY is not set');
    client ??= new Stripe(key, {
      maxNetworkRetries: MAX_NETWORK_RETRIES,
      timeout: TIMEOUT_MS,
      ...(opts.baseUrl ? { httpClient: Stripe.createFetchHttpClient(fetchVia(opts.baseUrl)) } : {}),
    });
    return client;
  };

  // Prices change only when someone edits the catalog: looked up once per tier and process.
  const priceIds = new Map<PaidTier, string>();
  async function priceIdFor(tier: PaidTier): Promise<string> {
    const known = priceIds.get(tier);
    if (known) return known;
    const lookupKey = priceLookupKey(tier);
    const prices = await request('prices.list', () => stripe().prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 }));
    const price = prices.data[0];
    if (!price) throw new ProviderError('stripe', 404, `no active price has lookup_key '${lookupKey}'`);
    priceIds.set(tier, price.id);
    return price.id;
  }

  const getSubscription = async (id: string) =>
    toSubscription(await request('subscriptions.retrieve', () => stripe().subscriptions.retrieve(id)));
  const getInvoice = async (id: string) => toInvoice(await request('invoices.retrieve', () => stripe().invoices.retrieve(id)));
  const setCancelAtPeriodEnd = async (id: string, cancel: boolean, idempotencyKey: string) =>
    toSubscription(
      await request('subscriptions.update', () =>
        stripe().subscriptions.update(id, { cancel_at_period_end: cancel }, { idempotencyKey }),
      ),
    );

  return {
    async createCustomer(input, idempotencyKey) {
      const customer = await request('customers.create', () =>
        stripe().customers.create(
          { email: input.email, name: input.name, metadata: { organizationId: input.organizationId } },
          { idempotencyKey },
        ),
      );
      return toCustomer(customer);
    },

    async getCustomer(id) {
      const customer = await request('customers.retrieve', () => stripe().customers.retrieve(id));
      if (customer.deleted) throw new ProviderError('stripe', 404, `customers.retrieve: customer ${id} was deleted`);
      return toCustomer(customer);
    },

    async createCheckoutSession(input, idempotencyKey) {
      const price = await priceIdFor(input.tier);
      const session = await request('checkout.sessions.create', () =>
        stripe().checkout.sessions.create(
          {
            mode: 'subscription',
            customer: input.customerId,
            line_items: [{ price, quantity: 1 }],
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
            client_reference_id: input.organizationId,
            metadata: { ...input.metadata, organizationId: input.organizationId },
            subscription_data: { metadata: { ...input.metadata, organizationId: input.organizationId } },
          },
          { idempotencyKey },
        ),
      );
      if (!session.url) throw new ProviderError('stripe', undefined, `checkout session ${session.id} has no url`);
      return { id: session.id, url: session.url };
    },

    async createPaymentCheckoutSession(input, idempotencyKey) {
      const metadata = { ...input.metadata, organizationId: input.organizationId };
      const session = await request('checkout.sessions.create', () =>
        stripe().checkout.sessions.create(
          {
            mode: 'payment',
            customer: input.customerId,
            line_items: [{ price_data: { currency: 'usd', unit_amount: input.amountCents, product_data: { name: input.description } }, quantity: 1 }],
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
            client_reference_id: input.organizationId,
            metadata,
            payment_intent_data: { description: input.description, metadata },
          },
          { idempotencyKey },
        ),
      );
      if (!session.url) throw new ProviderError('stripe', undefined, `checkout session ${session.id} has no url`);
      return { id: session.id, url: session.url };
    },

    async getCheckoutSession(id) {
      return toCheckoutSession(await request('checkout.sessions.retrieve', () => stripe().checkout.sessions.retrieve(id)));
    },

    async expireCheckoutSession(id, idempotencyKey) {
      try {
        return toCheckoutSession(await request('checkout.sessions.expire', () => stripe().checkout.sessions.expire(id, {}, { idempotencyKey })));
      } catch (err) {
        // Stripe refuses to expire a session that is no longer open: read it to tell that apart.
        if (!(err instanceof ProviderError) || err.status !== 400) throw err;
        const session = toCheckoutSession(await request('checkout.sessions.retrieve', () => stripe().checkout.sessions.retrieve(id)));
        if (session.status === 'open') throw err;
        return session;
      }
    },

    async createPortalSession(input, idempotencyKey) {
      const session = await request('billingPortal.sessions.create', () =>
        stripe().billingPortal.sessions.create({ customer: input.customerId, return_url: input.returnUrl }, { idempotencyKey }),
      );
      return { id: session.id, url: session.url };
    },

    getSubscription,

    async changePlan(subscriptionId, tier, idempotencyKey) {
      const [current, price] = await Promise.all([
        request('subscriptions.retrieve', () => stripe().subscriptions.retrieve(subscriptionId)),
        priceIdFor(tier),
      ]);
      // Naming the existing item replaces its price; without its id Stripe would add a second item.
      const item = current.items.data[0];
      const updated = await request('subscriptions.update', () =>
        stripe().subscriptions.update(
          subscriptionId,
          { items: [{ id: item?.id, price }], proration_behavior: 'create_prorations' },
          { idempotencyKey },
        ),
      );
      return toSubscription(updated);
    },

    cancelAtPeriodEnd: (id, idempotencyKey) => setCancelAtPeriodEnd(id, true, idempotencyKey),
    resumeSubscription: (id, idempotencyKey) => setCancelAtPeriodEnd(id, false, idempotencyKey),

    async cancelNow(subscriptionId, idempotencyKey) {
      try {
        return toSubscription(
          await request('subscriptions.cancel', () => stripe().subscriptions.cancel(subscriptionId, {}, { idempotencyKey })),
        );
      } catch (err) {
        // Stripe answers "No such subscription" for one already canceled: read it to tell the two apart.
        if (!(err instanceof ProviderError) || !err.notFound) throw err;
        const existing = await getSubscription(subscriptionId);
        if (existing.status !== 'canceled') throw err;
        return existing;
      }
    },

    async createOneOffInvoice(input, idempotencyKey) {
      // The invoice first, excluding pending items; then the line attached to it.
      const draft = await request('invoices.create', () =>
        stripe().invoices.create(
          {
            customer: input.customerId,
            collection_method: 'charge_automatically',
            // We finalize and pay explicitly, so a crash between steps resumes with the same keys.
            auto_advance: false,
            pending_invoice_items_behavior: 'exclude',
            description: input.description,
            metadata: input.metadata,
          },
          { idempotencyKey: `${idempotencyKey}:invoice` },
        ),
      );
      await request('invoiceItems.create', () =>
        stripe().invoiceItems.create(
          { customer: input.customerId, invoice: draft.id, amount: input.amountCents, currency: 'usd', description: input.description, metadata: input.metadata },
          { idempotencyKey: `${idempotencyKey}:line` },
        ),
      );
      return getInvoice(draft.id);
    },

    async finalizeInvoice(invoiceId, idempotencyKey) {
      return toInvoice(
        await request('invoices.finalizeInvoice', () => stripe().invoices.finalizeInvoice(invoiceId, {}, { idempotencyKey })),
      );
    },

    async payInvoice(invoiceId, idempotencyKey) {
      try {
        return toInvoice(await request('invoices.pay', () => stripe().invoices.pay(invoiceId, {}, { idempotencyKey })));
      } catch (err) {
        // A declined card is an outcome, not a fault: the invoice stays open and Stripe retries per its settings.
        const cause = err instanceof ProviderError ? err.cause : undefined;
        if (!(cause instanceof Stripe.errors.StripeCardError)) throw err;
        return { ...(await getInvoice(invoiceId)), paymentError: cause.message };
      }
    },

    getInvoice,

    async parseWebhookEvent(rawBody, signature) {
      const secret = opts.config.stripe.webhookSecret;
      if (!secret) throw new WebhookSignatureError('STRIPE_WEBHOOK_SECRET is not set');
      if (!signature) throw new WebhookSignatureError('missing Stripe-Signature header');
      let event: Stripe.Event;
      try {
        event = Stripe.webhooks.constructEvent(rawBody, signature, secret, WEBHOOK_TOLERANCE_SECONDS);
      } catch (err) {
        throw new WebhookSignatureError((err as Error).message, { cause: err });
      }
      // Signed but not an event (a test ping, a hand-made body): refuse it rather than misread it.
      const data = (event as { data?: { object?: unknown } } | null)?.data;
      if (typeof event?.id !== 'string' || typeof event.type !== 'string' || !data?.object || typeof data.object !== 'object') {
        throw new WebhookSignatureError('the signed body is not a Stripe event');
      }
      return toBillingEvent(event);
    },
  };
}
