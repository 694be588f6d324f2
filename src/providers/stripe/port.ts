/** Stripe (plans, overage invoices) in our own vocabulary: no SDK types cross this line. */
import type { SubscriptionStatus } from '../../domain/subscriptions.js';
import type { PaidTier } from './prices.js';

export type { SubscriptionStatus } from '../../domain/subscriptions.js';
export type { PaidTier } from './prices.js';

export interface Customer {
  id: string;
  email: string | null;
  name: string | null;
  /** Our organization, kept in the customer's metadata. */
  organizationId: string | null;
}

export interface NewCustomer {
  organizationId: string;
  email?: string;
  name?: string;
}

/** A page hosted by Stripe (Checkout, billing portal) that we redirect the user to. */
export interface HostedSession {
  id: string;
  url: string;
}

export interface CheckoutRequest {
  customerId: string;
  tier: PaidTier;
  /** May contain `{CHECKOUT_SESSION_ID}`, which Stripe replaces with the session id. */
  successUrl: string;
  cancelUrl: string;
  /** Sent as client_reference_id and metadata.organizationId; the subscription inherits the metadata. */
  organizationId: string;
  metadata?: Record<string, string>;
}

/** A Checkout for a one-time payment (`mode: payment`) of one USD line. */
export interface PaymentCheckoutRequest {
  customerId: string;
  amountCents: number;
  /** What the customer sees on the page and the receipt. */
  description: string;
  successUrl: string;
  cancelUrl: string;
  organizationId: string;
  /** Ties the payment to what it pays for (kept on the session and its PaymentIntent). */
  metadata: Record<string, string>;
}

/** A Checkout Session as it stands now. */
export interface CheckoutSession {
  id: string;
  mode: 'subscription' | 'payment' | 'setup';
  status: 'open' | 'complete' | 'expired';
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  customerId: string | null;
  subscriptionId: string | null;
  /** From client_reference_id or metadata.organizationId. */
  organizationId: string | null;
  amountTotalCents: number;
  /** The hosted page, while the session is open. */
  url: string | null;
  metadata: Record<string, string>;
}

export interface Subscription {
  id: string;
  customerId: string;
  status: SubscriptionStatus;
  priceId: string;
  /** The tier of the subscribed price; null when the price is not one of our plans. */
  tier: PaidTier | null;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  /** Set by cancelAtPeriodEnd, cleared by resumeSubscription. */
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
  endedAt: Date | null;
  metadata: Record<string, string>;
}

/** A one-off charge (a week's overage, a registration fee): one invoice with one line. */
export interface NewOneOffInvoice {
  customerId: string;
  /** In cents of USD. */
  amountCents: number;
  description: string;
  metadata?: Record<string, string>;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';

export interface Invoice {
  id: string;
  customerId: string;
  /** Set for the invoices a subscription generates; null for one-off (overage) invoices. */
  subscriptionId: string | null;
  status: InvoiceStatus;
  amountDueCents: number;
  amountPaidCents: number;
  currency: string;
  description: string | null;
  /** The page where the customer can see and pay the invoice (once finalized). */
  hostedUrl: string | null;
  /** Payment attempts so far. */
  attemptCount: number;
  metadata: Record<string, string>;
  /** Why the payment attempt that returned this invoice failed (a declined card). */
  paymentError?: string;
}

/** One verified webhook event, with the ids callers need to re-sync from Stripe. */
export interface BillingEvent {
  id: string;
  type: string;
  createdAt: Date;
  /** Stripe's object kind: `checkout.session`, `subscription`, `invoice`, … */
  objectType: string;
  objectId: string;
  customerId: string | null;
  subscriptionId: string | null;
  /** From client_reference_id or metadata.organizationId, when the object carries one. */
  organizationId: string | null;
  /** The subscription as of the event, for `customer.subscription.*` events. */
  subscription?: Subscription;
  /** The invoice as of the event, for `invoice.*` events. */
  invoice?: Invoice;
}

/** A webhook whose signature, timestamp or body did not verify: answer 400, change nothing. */
export class WebhookSignatureError extends Error {}

/**
 * Every write takes an idempotency key chosen by the caller from what the write means
 * (e.g. `overage:<org>:<isoWeek>:invoice`), so a retried job never charges twice.
 * Failures throw ProviderError with Stripe's HTTP status (404 for an unknown id).
 */
export interface StripeProvider {
  /** Creates the Stripe customer of an organization (metadata.organizationId). */
  createCustomer(input: NewCustomer, idempotencyKey: string): Promise<Customer>;
  /** Reads a customer. */
  getCustomer(id: string): Promise<Customer>;
  /** Starts a hosted Checkout for a monthly subscription to the tier's price; redirect the user to its url. */
  createCheckoutSession(input: CheckoutRequest, idempotencyKey: string): Promise<HostedSession>;
  /** Starts a hosted Checkout for a one-time payment; redirect the user to its url. */
  createPaymentCheckoutSession(input: PaymentCheckoutRequest, idempotencyKey: string): Promise<HostedSession>;
  /** Reads a Checkout Session (what the return page and the webhook trust, not the redirect). */
  getCheckoutSession(id: string): Promise<CheckoutSession>;
  /** Expires an open Checkout Session so it can no longer be paid; an ended one is answered as it is. */
  expireCheckoutSession(id: string, idempotencyKey: string): Promise<CheckoutSession>;
  /** Opens the hosted billing portal for a customer; it links back to returnUrl. */
  createPortalSession(input: { customerId: string; returnUrl: string }, idempotencyKey: string): Promise<HostedSession>;
  /** Reads a subscription (the source of truth webhooks re-sync from). */
  getSubscription(id: string): Promise<Subscription>;
  /** Moves a subscription to another tier's price (Stripe prorates). */
  changePlan(subscriptionId: string, tier: PaidTier, idempotencyKey: string): Promise<Subscription>;
  /** Cancels at the end of the paid period (cancel_at_period_end: true). */
  cancelAtPeriodEnd(subscriptionId: string, idempotencyKey: string): Promise<Subscription>;
  /** Undoes cancelAtPeriodEnd before the period ends. */
  resumeSubscription(subscriptionId: string, idempotencyKey: string): Promise<Subscription>;
  /** Ends the subscription now; repeating it returns the canceled subscription. */
  cancelNow(subscriptionId: string, idempotencyKey: string): Promise<Subscription>;
  /**
   * A draft invoice, charged automatically once finalized, holding exactly this one USD line:
   * the customer's other pending items stay out of it, and the line is never left pending for
   * the subscription's next invoice to sweep up. Repeating the key replays both requests.
   */
  createOneOffInvoice(input: NewOneOffInvoice, idempotencyKey: string): Promise<Invoice>;
  /** Finalizes a draft invoice (it becomes open and payable). */
  finalizeInvoice(invoiceId: string, idempotencyKey: string): Promise<Invoice>;
  /** Charges the customer's default card: status paid, or open with paymentError when declined. */
  payInvoice(invoiceId: string, idempotencyKey: string): Promise<Invoice>;
  /** Reads an invoice. */
  getInvoice(id: string): Promise<Invoice>;
  /** Verifies a webhook's Stripe-Signature over the raw body (5 min tolerance) and reads the event. */
  parseWebhookEvent(rawBody: string | Buffer, signature: string | undefined): Promise<BillingEvent>;
}
