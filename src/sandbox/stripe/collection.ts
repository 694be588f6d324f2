import { chargeInvoice, finalizeInvoice, found, newInvoice, newLine, publishPayment, saveSubscriptionChange, type Payment } from './billing.js';
import type { TestCard } from './cards.js';
import { planLabel, usd } from './catalog.js';
import type { Emulator } from './emulator.js';
import { invalidRequest } from './errors.js';
import { addMonth, newId, type CustomerObject, type InvoiceObject, type PaymentMethodObject, type SubscriptionObject } from './state.js';

/** How Stripe collects a subscription's money: cards saved, invoices billed per period, and retried after a new card. */

/** Saves a card on a customer as its default for invoices, as Checkout and the portal do. Stored. */
export async function attachCard(emu: Emulator, customer: CustomerObject, card: TestCard): Promise<{ customer: CustomerObject; paymentMethod: PaymentMethodObject }> {
  const paymentMethod: PaymentMethodObject = {
    id: newId('pm'),
    object: 'payment_method',
    type: 'card',
    card: { brand: card.brand, country: 'US', exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, funding: 'credit', last4: card.last4 },
    created: emu.now(),
    customer: customer.id,
    livemode: false,
    metadata: {},
  };
  await emu.stores.paymentMethods.put(paymentMethod.id, paymentMethod, customer.id);
  const payer = { ...customer, invoice_settings: { ...customer.invoice_settings, default_payment_method: paymentMethod.id } };
  await emu.stores.customers.put(payer.id, payer);
  return { customer: payer, paymentMethod };
}

/** The open invoice of one period of a subscription, with one line per item, finalized and stored. */
export async function billPeriod(
  emu: Emulator,
  customer: CustomerObject,
  subscription: SubscriptionObject,
  billingReason: 'subscription_create' | 'subscription_cycle',
): Promise<InvoiceObject> {
  const invoiceId = newId('in');
  const lines = subscription.items.data.map((item) =>
    newLine(invoiceId, {
      amount: item.price.unit_amount * item.quantity,
      description: `${item.quantity} × ${planLabel(item.price)} (at ${usd(item.price.unit_amount)} / month)`,
      period: { start: item.current_period_start, end: item.current_period_end },
      quantity: item.quantity,
    }),
  );
  const draft = newInvoice(emu, { id: invoiceId, customer, lines, billingReason, subscription, autoAdvance: true, collectionMethod: 'charge_automatically' });
  return finalizeInvoice(emu, draft);
}

/** Subscriptions whose latest invoice is still unpaid: a new card is tried on it. */
const WAITING_FOR_PAYMENT: ReadonlySet<SubscriptionObject['status']> = new Set(['incomplete', 'past_due']);

/**
 * A customer's new default card, as the billing portal applies it: it becomes the default of
 * each of their subscriptions still running, and the open invoice of each subscription waiting
 * for payment is charged again at once (as Stripe retries after a payment method update); a
 * paid one makes its subscription active. Events follow each outcome.
 */
export async function useNewCard(emu: Emulator, customer: CustomerObject, card: TestCard): Promise<Payment[]> {
  const { paymentMethod } = await attachCard(emu, customer, card);
  const payments: Payment[] = [];
  for (const before of await emu.stores.subscriptions.list({ owner: customer.id })) {
    if (before.status === 'canceled') continue;
    let after: SubscriptionObject = { ...before, default_payment_method: paymentMethod.id };
    const open = WAITING_FOR_PAYMENT.has(before.status) && before.latest_invoice ? await emu.stores.invoices.get(before.latest_invoice) : undefined;
    if (open?.status === 'open') {
      const payment = await chargeInvoice(emu, open);
      payments.push(payment);
      await publishPayment(emu, payment);
      if (!payment.declined) after = { ...after, status: 'active' };
    }
    await saveSubscriptionChange(emu, before, after);
  }
  return payments;
}

/**
 * The end of a subscription's period, as Stripe runs it (what a test clock's advance does):
 * one set to cancel at period end is canceled; otherwise the next period starts and its
 * invoice is charged to the default card. A declined charge leaves the subscription past_due
 * (the new period has started all the same, as on Stripe).
 */
export async function renewSubscription(emu: Emulator, before: SubscriptionObject): Promise<SubscriptionObject> {
  if (before.status === 'canceled' || before.status === 'incomplete') {
    throw invalidRequest(`A subscription that is ${before.status} has no next period to bill.`);
  }
  const periodEnd = before.items.data[0]!.current_period_end;
  if (before.cancel_at_period_end) {
    const canceled: SubscriptionObject = { ...before, status: 'canceled', ended_at: periodEnd, canceled_at: before.canceled_at ?? periodEnd };
    await emu.stores.subscriptions.put(canceled.id, canceled, canceled.customer);
    await emu.events.publish('customer.subscription.deleted', canceled);
    return canceled;
  }
  const next = addMonth(periodEnd);
  const items = before.items.data.map((item) => ({ ...item, current_period_start: periodEnd, current_period_end: next }));
  const renewed: SubscriptionObject = { ...before, items: { ...before.items, data: items } };
  const customer = await found(emu.stores.customers.get(before.customer), 'customer', before.customer, 'customer');
  const payment = await chargeInvoice(emu, await billPeriod(emu, customer, renewed, 'subscription_cycle'));
  const after: SubscriptionObject = { ...renewed, status: payment.declined ? 'past_due' : 'active', latest_invoice: payment.invoice.id };
  await saveSubscriptionChange(emu, before, after);
  await publishPayment(emu, payment);
  return after;
}
