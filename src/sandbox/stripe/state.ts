import { randomInt } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { sandboxStore } from '../store.js';

/**
 * The Stripe objects the emulator keeps, in Stripe's field names (API 2025-03-31 and later:
 * billing periods on subscription items, an invoice's subscription under `parent`), stored
 * as they are answered. Timestamps are unix seconds, amounts integer cents.
 */

export type Metadata = Record<string, string>;
export type List<T> = { object: 'list'; data: T[]; has_more: boolean; url: string };

export type PriceObject = {
  id: string;
  object: 'price';
  active: boolean;
  billing_scheme: 'per_unit';
  created: number;
  currency: string;
  livemode: false;
  lookup_key: string | null;
  metadata: Metadata;
  nickname: string | null;
  product: string;
  recurring: { interval: 'month'; interval_count: number; meter: null; usage_type: 'licensed' };
  tax_behavior: 'unspecified';
  type: 'recurring';
  unit_amount: number;
  unit_amount_decimal: string;
};

export type CustomerObject = {
  id: string;
  object: 'customer';
  address: null;
  balance: number;
  created: number;
  currency: string | null;
  default_source: null;
  delinquent: boolean;
  description: string | null;
  email: string | null;
  invoice_prefix: string;
  invoice_settings: { custom_fields: null; default_payment_method: string | null; footer: null; rendering_options: null };
  livemode: false;
  metadata: Metadata;
  name: string | null;
  phone: string | null;
  preferred_locales: string[];
  shipping: null;
  tax_exempt: 'none';
  test_clock: null;
};

export type PaymentMethodObject = {
  id: string;
  object: 'payment_method';
  type: 'card';
  card: { brand: string; country: string; exp_month: number; exp_year: number; funding: 'credit'; last4: string };
  created: number;
  customer: string;
  livemode: false;
  metadata: Metadata;
};

export type CheckoutSessionObject = {
  id: string;
  object: 'checkout.session';
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string | null;
  client_reference_id: string | null;
  created: number;
  currency: string;
  customer: string | null;
  customer_email: string | null;
  expires_at: number;
  invoice: string | null;
  livemode: false;
  metadata: Metadata;
  mode: 'subscription' | 'payment';
  /** Payment mode: the PaymentIntent, once the customer paid. */
  payment_intent: string | null;
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  status: 'open' | 'complete' | 'expired';
  subscription: string | null;
  success_url: string;
  url: string | null;
};

/**
 * A session and what Stripe keeps beside it (line items are expandable, not part of the
 * object). A payment-mode line given as `price_data` keeps its name and amount here.
 */
export type CheckoutRecord = {
  session: CheckoutSessionObject;
  lineItems: Array<{ price: string; quantity: number; name?: string; unitAmount?: number }>;
  subscriptionMetadata: Metadata;
  paymentIntentData?: { description: string | null; metadata: Metadata };
};

export type PaymentIntentObject = {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  livemode: false;
  metadata: Metadata;
  payment_method: string | null;
  status: 'succeeded';
};

export type PortalSessionObject = {
  id: string;
  object: 'billing_portal.session';
  configuration: string;
  created: number;
  customer: string;
  flow: null;
  livemode: false;
  locale: null;
  on_behalf_of: null;
  return_url: string | null;
  url: string;
};

export type SubscriptionItemObject = {
  id: string;
  object: 'subscription_item';
  created: number;
  current_period_end: number;
  current_period_start: number;
  discounts: string[];
  metadata: Metadata;
  price: PriceObject;
  quantity: number;
  subscription: string;
  tax_rates: [];
};

export type SubscriptionStatus = 'active' | 'past_due' | 'canceled' | 'incomplete';

export type SubscriptionObject = {
  id: string;
  object: 'subscription';
  billing_cycle_anchor: number;
  cancel_at: number | null;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  cancellation_details: { comment: null; feedback: null; reason: 'cancellation_requested' | null };
  collection_method: 'charge_automatically';
  created: number;
  currency: string;
  customer: string;
  default_payment_method: string | null;
  description: string | null;
  ended_at: number | null;
  items: List<SubscriptionItemObject>;
  latest_invoice: string | null;
  livemode: false;
  metadata: Metadata;
  start_date: number;
  status: SubscriptionStatus;
  test_clock: null;
  trial_end: null;
  trial_start: null;
};

export type InvoiceItemObject = {
  id: string;
  object: 'invoiceitem';
  amount: number;
  currency: string;
  customer: string;
  date: number;
  description: string | null;
  discountable: boolean;
  invoice: string | null;
  livemode: false;
  metadata: Metadata;
  parent: null;
  period: { start: number; end: number };
  proration: boolean;
  quantity: number;
  test_clock: null;
};

export type InvoiceLineObject = {
  id: string;
  object: 'line_item';
  amount: number;
  subtotal: number;
  currency: string;
  description: string | null;
  invoice: string;
  livemode: false;
  metadata: Metadata;
  period: { start: number; end: number };
  quantity: number;
};

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';

export type InvoiceObject = {
  id: string;
  object: 'invoice';
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  attempted: boolean;
  auto_advance: boolean;
  billing_reason: 'manual' | 'subscription_create' | 'subscription_cycle';
  collection_method: 'charge_automatically' | 'send_invoice';
  created: number;
  currency: string;
  customer: string;
  customer_email: string | null;
  customer_name: string | null;
  default_payment_method: string | null;
  description: string | null;
  hosted_invoice_url: string | null;
  invoice_pdf: string | null;
  lines: List<InvoiceLineObject>;
  livemode: false;
  metadata: Metadata;
  next_payment_attempt: number | null;
  number: string | null;
  parent: {
    type: 'subscription_details';
    quote_details: null;
    subscription_details: { metadata: Metadata; subscription: string };
  } | null;
  period_end: number;
  period_start: number;
  status: InvoiceStatus;
  status_transitions: { finalized_at: number | null; marked_uncollectible_at: null; paid_at: number | null; voided_at: number | null };
  subtotal: number;
  subtotal_excluding_tax: number | null;
  total_excluding_tax: number | null;
  total: number;
};

export type EventObject = {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
};

/** An event and each delivery attempt to our webhook route (status null: unreachable). */
export type EventRecord = { event: EventObject; deliveries: Array<{ status: number | null; at: string }> };

export function stripeStores(db: Db) {
  const store = <T extends Record<string, unknown>>(kind: string) => sandboxStore<T>(db, 'stripe', kind);
  return {
    customers: store<CustomerObject>('customer'),
    paymentMethods: store<PaymentMethodObject>('payment_method'),
    paymentIntents: store<PaymentIntentObject>('payment_intent'),
    checkoutSessions: store<CheckoutRecord>('checkout_session'),
    portalSessions: store<PortalSessionObject>('billing_portal_session'),
    subscriptions: store<SubscriptionObject>('subscription'),
    invoiceItems: store<InvoiceItemObject>('invoiceitem'),
    invoices: store<InvoiceObject>('invoice'),
    events: store<EventRecord>('event'),
  };
}
export type StripeStores = ReturnType<typeof stripeStores>;

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An id shaped like Stripe's: its prefix, then random letters and digits. */
export const newId = (prefix: string, length = 24) =>
  `${prefix}_${Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('')}`;

/** The same moment one calendar month later, Jan 31 → Feb 28/29 (Stripe's monthly billing period). */
export function addMonth(unixSeconds: number): number {
  const date = new Date(unixSeconds * 1000);
  const day = date.getUTCDate();
  date.setUTCMonth(date.getUTCMonth() + 1);
  if (date.getUTCDate() !== day) date.setUTCDate(0);
  return Math.floor(date.getTime() / 1000);
}
