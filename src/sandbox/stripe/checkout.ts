import { chargeInvoice, found, newCustomer, newSubscription, publishPayment } from './billing.js';
import { PAYMENT_INTENT_DEFAULTS } from './defaults.js';
import type { TestCard } from './cards.js';
import { findPrice } from './catalog.js';
import { attachCard, billPeriod } from './collection.js';
import type { Emulator } from './emulator.js';
import { newId, type CheckoutRecord, type CheckoutSessionObject, type PaymentIntentObject } from './state.js';

/** Pressing Pay on the hosted Checkout page: the session as it ends, or the decline it shows (the session stays open). */
export type CheckoutAttempt = { session: CheckoutSessionObject; declined?: undefined } | { declined: TestCard; session?: undefined };

/**
 * What paying a Checkout Session with a test card does, as on Stripe. A card that declines
 * leaves the session open for another card. In subscription mode the card is saved first, so
 * 4000 0000 0000 0341 completes the session with the first charge declined: the subscription
 * is `incomplete` until its invoice is paid (a new card in the portal retries it). In payment
 * mode nothing is saved: a card whose charge fails is a decline like any other.
 */
export async function payCheckout(emu: Emulator, record: CheckoutRecord, card: TestCard): Promise<CheckoutAttempt> {
  const { session } = record;
  if (session.status !== 'open') return { session };
  if (card.behaviour === 'declines' || (session.mode === 'payment' && card.behaviour !== 'succeeds')) return { declined: card };
  return { session: session.mode === 'payment' ? await completePayment(emu, record) : await completeSubscription(emu, record, card) };
}

/** The session's customer, or a new one from its email (Checkout creates it). Not stored yet. */
async function customerOf(emu: Emulator, session: CheckoutSessionObject) {
  return session.customer
    ? found(emu.stores.customers.get(session.customer), 'customer', session.customer, 'customer')
    : newCustomer(emu, { email: session.customer_email ?? undefined });
}

async function complete(emu: Emulator, record: CheckoutRecord, completed: CheckoutSessionObject) {
  await emu.stores.checkoutSessions.put(completed.id, { ...record, session: completed }, completed.customer ?? '');
  return completed;
}

/**
 * Saves the card as the customer's default, starts the subscription (one-month period), bills
 * and charges its first invoice, completes the session, then sends customer.subscription.created,
 * invoice.paid (or invoice.payment_failed) and checkout.session.completed.
 */
async function completeSubscription(emu: Emulator, record: CheckoutRecord, card: TestCard): Promise<CheckoutSessionObject> {
  const { customer: payer, paymentMethod } = await attachCard(emu, await customerOf(emu, record.session), card);
  // Prices were checked when the session was created; the catalog does not change.
  const items = record.lineItems.flatMap(({ price, quantity }) => {
    const catalogPrice = findPrice(price);
    return catalogPrice ? [{ price: catalogPrice, quantity }] : [];
  });
  const subscription = newSubscription(emu, { customer: payer.id, items, metadata: record.subscriptionMetadata, paymentMethod: paymentMethod.id });
  const payment = await chargeInvoice(emu, await billPeriod(emu, payer, subscription, 'subscription_create'));
  const started = { ...subscription, status: payment.declined ? ('incomplete' as const) : ('active' as const), latest_invoice: payment.invoice.id };
  await emu.stores.subscriptions.put(started.id, started, payer.id);
  const completed = await complete(emu, record, {
    ...record.session,
    customer: payer.id,
    status: 'complete',
    payment_status: payment.declined ? 'unpaid' : 'paid',
    subscription: started.id,
    url: null,
  });
  await emu.events.publish('customer.subscription.created', started);
  await publishPayment(emu, payment);
  await emu.events.publish('checkout.session.completed', completed);
  return completed;
}

/** A one-time payment: a succeeded PaymentIntent carrying the session's payment metadata, then the completed session. */
async function completePayment(emu: Emulator, record: CheckoutRecord): Promise<CheckoutSessionObject> {
  const { session } = record;
  const customer = session.customer ? await customerOf(emu, session) : undefined;
  const intent: PaymentIntentObject = {
    ...PAYMENT_INTENT_DEFAULTS,
    id: newId('pi'),
    object: 'payment_intent',
    amount: session.amount_total,
    amount_received: session.amount_total,
    created: emu.now(),
    currency: session.currency,
    customer: customer?.id ?? null,
    description: record.paymentIntentData?.description ?? null,
    livemode: false,
    metadata: record.paymentIntentData?.metadata ?? {},
    payment_method: newId('pm'),
    status: 'succeeded',
  };
  await emu.stores.paymentIntents.put(intent.id, intent, customer?.id ?? '');
  const completed = await complete(emu, record, { ...session, status: 'complete', payment_status: 'paid', payment_intent: intent.id, url: null });
  await emu.events.publish('payment_intent.succeeded', intent);
  await emu.events.publish('checkout.session.completed', completed);
  return completed;
}
