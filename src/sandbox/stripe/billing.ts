import { cardOfLast4, type TestCard } from './cards.js';
import { INVOICE_DEFAULTS, LINE_DEFAULTS, planOf, SUBSCRIPTION_DEFAULTS, SUBSCRIPTION_ITEM_DEFAULTS } from './defaults.js';
import type { Emulator } from './emulator.js';
import { invalidRequest, noSuch } from './errors.js';
import { previousAttributes } from './events.js';
import {
  addMonth,
  newId,
  type CustomerObject,
  type InvoiceLineObject,
  type InvoiceObject,
  type Metadata,
  type PriceObject,
  type SubscriptionObject,
} from './state.js';

/** The billing rules the API routes and the hosted pages share: subscriptions, invoices, charges. */

/** Loads a stored object or fails with Stripe's resource_missing (404 for the URL's id, 400 for a parameter). */
export async function found<T>(doc: Promise<T | undefined>, kind: string, id: string, param?: string): Promise<T> {
  const value = await doc;
  if (!value) throw noSuch(kind, id, param);
  return value;
}

/** Stripe merges metadata updates key by key; an empty value deletes the key. */
export function mergeMetadata(current: Metadata, update: Metadata | undefined): Metadata {
  const merged = { ...current, ...update };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== ''));
}

export function newCustomer(emu: Emulator, input: { email?: string; name?: string; description?: string; phone?: string; metadata?: Metadata }): CustomerObject {
  const id = newId('cus', 14);
  return {
    id,
    object: 'customer',
    address: null,
    balance: 0,
    created: emu.now(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: input.description ?? null,
    email: input.email ?? null,
    invoice_prefix: id.slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: mergeMetadata({}, input.metadata),
    name: input.name ?? null,
    phone: input.phone ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

export function newSubscription(
  emu: Emulator,
  input: { customer: string; items: Array<{ price: PriceObject; quantity: number }>; metadata: Metadata; paymentMethod: string | null },
): SubscriptionObject {
  const id = newId('sub');
  const start = emu.now();
  const end = addMonth(start);
  const items = input.items.map(({ price, quantity }) => ({
    ...SUBSCRIPTION_ITEM_DEFAULTS,
    id: newId('si', 14),
    object: 'subscription_item' as const,
    created: start,
    current_period_end: end,
    current_period_start: start,
    discounts: [],
    metadata: {},
    plan: planOf(price),
    price,
    quantity,
    subscription: id,
    tax_rates: [] as [],
  }));
  return {
    ...SUBSCRIPTION_DEFAULTS,
    id,
    object: 'subscription',
    billing_cycle_anchor: start,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: 'charge_automatically',
    created: start,
    currency: 'usd',
    customer: input.customer,
    default_payment_method: input.paymentMethod,
    description: null,
    ended_at: null,
    items: { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    livemode: false,
    metadata: input.metadata,
    start_date: start,
    status: 'incomplete',
    test_clock: null,
    trial_end: null,
    trial_start: null,
  };
}

/** One invoice line as Stripe shows it. */
export function newLine(invoiceId: string, line: { amount: number; description: string | null; period: { start: number; end: number }; quantity?: number; metadata?: Metadata }): InvoiceLineObject {
  return {
    ...LINE_DEFAULTS,
    id: newId('il'),
    object: 'line_item',
    amount: line.amount,
    subtotal: line.amount,
    currency: 'usd',
    description: line.description,
    invoice: invoiceId,
    livemode: false,
    metadata: line.metadata ?? {},
    period: line.period,
    quantity: line.quantity ?? 1,
  };
}

export function newInvoice(
  emu: Emulator,
  input: {
    id?: string;
    customer: CustomerObject;
    lines: InvoiceLineObject[];
    billingReason: InvoiceObject['billing_reason'];
    subscription?: SubscriptionObject;
    description?: string;
    metadata?: Metadata;
    autoAdvance: boolean;
    collectionMethod: InvoiceObject['collection_method'];
  },
): InvoiceObject {
  const id = input.id ?? newId('in');
  const now = emu.now();
  const total = input.lines.reduce((sum, line) => sum + line.amount, 0);
  const periods = input.lines.map((line) => line.period);
  return {
    ...INVOICE_DEFAULTS,
    id,
    object: 'invoice',
    amount_due: total,
    amount_paid: 0,
    amount_remaining: total,
    attempt_count: 0,
    attempted: false,
    auto_advance: input.autoAdvance,
    billing_reason: input.billingReason,
    collection_method: input.collectionMethod,
    created: now,
    currency: 'usd',
    customer: input.customer.id,
    customer_email: input.customer.email,
    customer_name: input.customer.name,
    default_payment_method: null,
    description: input.description ?? null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    lines: { object: 'list', data: input.lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: mergeMetadata({}, input.metadata),
    next_payment_attempt: null,
    number: null,
    parent: input.subscription
      ? { type: 'subscription_details', quote_details: null, subscription_details: { metadata: input.subscription.metadata, subscription: input.subscription.id } }
      : null,
    period_end: Math.max(now, ...periods.map((p) => p.end)),
    period_start: Math.min(now, ...periods.map((p) => p.start)),
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    total,
    total_excluding_tax: total,
  };
}

/** Draft → open: numbered (customer prefix + sequence) and given its hosted page. Stored. */
export async function finalizeInvoice(emu: Emulator, invoice: InvoiceObject): Promise<InvoiceObject> {
  if (invoice.status !== 'draft') {
    throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.");
  }
  const customer = await found(emu.stores.customers.get(invoice.customer), 'customer', invoice.customer, 'customer');
  const numbered = (await emu.stores.invoices.list({ owner: customer.id, limit: 10_000 })).filter((i) => i.number).length;
  const finalized: InvoiceObject = {
    ...invoice,
    status: 'open',
    number: `${customer.invoice_prefix}-${String(numbered + 1).padStart(4, '0')}`,
    hosted_invoice_url: emu.pageUrl(`/invoices/${invoice.id}`),
    status_transitions: { ...invoice.status_transitions, finalized_at: emu.now() },
  };
  return emu.stores.invoices.put(finalized.id, finalized, customer.id);
}

/** What a charge came to; `card` is the card charged (its decline code and message when declined). */
export interface Payment {
  invoice: InvoiceObject;
  declined: boolean;
  card: TestCard | undefined;
}

/**
 * Charges an open invoice to the customer's default card. A declined card leaves it open with
 * the attempt counted. Stored; the caller publishes the outcome (see publishPayment) in its own order.
 */
export async function chargeInvoice(emu: Emulator, invoice: InvoiceObject): Promise<Payment> {
  if (invoice.status === 'paid') throw invalidRequest('Invoice is already paid');
  if (invoice.status !== 'open') throw invalidRequest(`You can only pay an open invoice. This invoice is ${invoice.status}.`);
  const customer = await found(emu.stores.customers.get(invoice.customer), 'customer', invoice.customer, 'customer');
  const paymentMethodId = invoice.default_payment_method ?? customer.invoice_settings.default_payment_method;
  const paymentMethod = paymentMethodId ? await emu.stores.paymentMethods.get(paymentMethodId) : undefined;
  if (invoice.amount_due > 0 && !paymentMethod) {
    throw invalidRequest('This customer has no attached payment source or default payment method. Please consider adding a default payment method.');
  }
  const card = cardOfLast4(paymentMethod?.card.last4);
  const declined = invoice.amount_due > 0 && !!card && card.behaviour !== 'succeeds';
  const attempted = { ...invoice, attempted: true, attempt_count: invoice.attempt_count + 1 };
  const charged: InvoiceObject = declined
    ? attempted
    : {
        ...attempted,
        status: 'paid',
        amount_paid: invoice.amount_due,
        amount_remaining: 0,
        status_transitions: { ...invoice.status_transitions, paid_at: emu.now() },
      };
  return { invoice: await emu.stores.invoices.put(charged.id, charged, customer.id), declined, card };
}

/** `invoice.paid` or `invoice.payment_failed`, as Stripe sends after a payment attempt. */
export async function publishPayment(emu: Emulator, result: Payment) {
  await emu.events.publish(result.declined ? 'invoice.payment_failed' : 'invoice.paid', result.invoice);
}

/** Stores a changed subscription and sends `customer.subscription.updated` with what changed. */
export async function saveSubscriptionChange(emu: Emulator, before: SubscriptionObject, after: SubscriptionObject): Promise<SubscriptionObject> {
  await emu.stores.subscriptions.put(after.id, after, after.customer);
  const changed = previousAttributes(before, after);
  if (Object.keys(changed).length > 0) await emu.events.publish('customer.subscription.updated', after, changed);
  return after;
}

/** Canceling stays possible only until the subscription has ended. */
export function assertNotCanceled(subscription: SubscriptionObject) {
  if (subscription.status === 'canceled') {
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
  }
}

/** cancel_at_period_end as Stripe applies it: cancel_at and canceled_at follow. */
export function withCancelAtPeriodEnd(emu: Emulator, subscription: SubscriptionObject, cancel: boolean): SubscriptionObject {
  const periodEnd = subscription.items.data[0]?.current_period_end ?? null;
  return {
    ...subscription,
    cancel_at_period_end: cancel,
    cancel_at: cancel ? periodEnd : null,
    canceled_at: cancel ? emu.now() : null,
    cancellation_details: { ...subscription.cancellation_details, reason: cancel ? 'cancellation_requested' : null },
  };
}
