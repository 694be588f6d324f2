import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { chargeInvoice, finalizeInvoice, found, newCustomer, newInvoice, newLine, newSubscription, publishPayment } from './billing.js';
import { findPrice, planLabel, TEST_CARDS, usd } from './catalog.js';
import type { Emulator } from './emulator.js';
import { noSuch } from './errors.js';
import { Expand, IdParams, Integer, Metadata } from './schemas.js';
import { newId, type CheckoutRecord, type CheckoutSessionObject, type PaymentMethodObject, type PortalSessionObject } from './state.js';

/** Checkout Sessions expire after 24 hours unless completed. */
const CHECKOUT_TTL_SECONDS = 24 * 3600;

const CheckoutCreate = z.strictObject({
  // The one mode we sell in; the emulator knows no other.
  mode: z.literal('subscription'),
  customer: z.string().optional(),
  customer_email: z.string().optional(),
  line_items: z.array(z.strictObject({ price: z.string(), quantity: Integer.pipe(z.number().min(1)).default(1) })).min(1),
  success_url: z.url(),
  cancel_url: z.url().optional(),
  client_reference_id: z.string().max(200).optional(),
  metadata: Metadata.optional(),
  subscription_data: z.strictObject({ metadata: Metadata.optional() }).optional(),
  expand: Expand,
});

const PortalCreate = z.strictObject({
  customer: z.string(),
  return_url: z.url().optional(),
  configuration: z.string().optional(),
  expand: Expand,
});

/** Checkout Sessions and billing portal sessions: the hosted pages (pages.ts) they point at. */
const sessionRoutes: FastifyPluginAsyncZod<{ emu: Emulator }> = async (api, { emu }) => {
  const { customers, checkoutSessions, portalSessions } = emu.stores;
  const hide = true;

  api.post('/checkout/sessions', { schema: { hide, body: CheckoutCreate } }, async (request) => {
    const body = request.body;
    const customer = body.customer ? await found(customers.get(body.customer), 'customer', body.customer, 'customer') : undefined;
    const lineItems = body.line_items.map((item, i) => {
      const price = findPrice(item.price);
      if (!price) throw noSuch('price', item.price, `line_items[${i}][price]`);
      return { price, quantity: item.quantity };
    });
    const amount = lineItems.reduce((sum, { price, quantity }) => sum + price.unit_amount * quantity, 0);
    const id = newId('cs_test', 58);
    const now = emu.now();
    const session: CheckoutSessionObject = {
      id,
      object: 'checkout.session',
      amount_subtotal: amount,
      amount_total: amount,
      cancel_url: body.cancel_url ?? null,
      client_reference_id: body.client_reference_id ?? null,
      created: now,
      currency: 'usd',
      customer: customer?.id ?? null,
      customer_email: body.customer_email ?? null,
      expires_at: now + CHECKOUT_TTL_SECONDS,
      invoice: null,
      livemode: false,
      metadata: body.metadata ?? {},
      mode: 'subscription',
      payment_status: 'unpaid',
      status: 'open',
      subscription: null,
      success_url: body.success_url,
      url: emu.pageUrl(`/checkout/${id}`),
    };
    const record: CheckoutRecord = {
      session,
      lineItems: lineItems.map(({ price, quantity }) => ({ price: price.id, quantity })),
      subscriptionMetadata: body.subscription_data?.metadata ?? {},
    };
    await checkoutSessions.put(id, record, customer?.id ?? '');
    return session;
  });

  api.get('/checkout/sessions/:id', { schema: { hide, params: IdParams } }, async (request) => {
    const record = await found(checkoutSessions.get(request.params.id), 'checkout.session', request.params.id);
    return record.session;
  });

  api.post('/billing_portal/sessions', { schema: { hide, body: PortalCreate } }, async (request) => {
    const customer = await found(customers.get(request.body.customer), 'customer', request.body.customer, 'customer');
    const id = newId('bps');
    const session: PortalSessionObject = {
      id,
      object: 'billing_portal.session',
      configuration: request.body.configuration ?? 'bpc_sandbox_default',
      created: emu.now(),
      customer: customer.id,
      flow: null,
      livemode: false,
      locale: null,
      on_behalf_of: null,
      return_url: request.body.return_url ?? null,
      url: emu.pageUrl(`/portal/${id}`),
    };
    return portalSessions.put(id, session, customer.id);
  });
};

export default sessionRoutes;

/**
 * What paying on the Checkout page does: saves the card as the customer's default, starts the
 * subscription (one-month period), bills and charges its first invoice, completes the session,
 * then sends customer.subscription.created, invoice.paid (or invoice.payment_failed) and
 * checkout.session.completed. A card that fails charges (TEST_CARDS) still completes the
 * session — a sandbox shortcut to rehearse failure — leaving the subscription past_due.
 */
export async function completeCheckout(emu: Emulator, record: CheckoutRecord, cardNumber: keyof typeof TEST_CARDS): Promise<CheckoutSessionObject> {
  const { session } = record;
  if (session.status !== 'open') return session;
  const { stores } = emu;
  const customer = session.customer
    ? await found(stores.customers.get(session.customer), 'customer', session.customer, 'customer')
    : newCustomer(emu, { email: session.customer_email ?? undefined });
  const card = TEST_CARDS[cardNumber]!;
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
  await stores.paymentMethods.put(paymentMethod.id, paymentMethod, customer.id);
  const payer = { ...customer, invoice_settings: { ...customer.invoice_settings, default_payment_method: paymentMethod.id } };
  await stores.customers.put(payer.id, payer);

  // Prices were checked when the session was created; the catalog does not change.
  const items = record.lineItems.flatMap(({ price, quantity }) => {
    const catalogPrice = findPrice(price);
    return catalogPrice ? [{ price: catalogPrice, quantity }] : [];
  });
  const subscription = newSubscription(emu, { customer: payer.id, items, metadata: record.subscriptionMetadata, paymentMethod: paymentMethod.id });
  const invoiceId = newId('in');
  const lines = subscription.items.data.map((item) =>
    newLine(invoiceId, {
      amount: item.price.unit_amount * item.quantity,
      description: `${item.quantity} × ${planLabel(item.price)} (at ${usd(item.price.unit_amount)} / month)`,
      period: { start: item.current_period_start, end: item.current_period_end },
      quantity: item.quantity,
    }),
  );
  const draft = newInvoice(emu, {
    id: invoiceId,
    customer: payer,
    lines,
    billingReason: 'subscription_create',
    subscription,
    autoAdvance: true,
    collectionMethod: 'charge_automatically',
  });
  const payment = await chargeInvoice(emu, await finalizeInvoice(emu, draft));

  const started = { ...subscription, status: payment.declined ? ('past_due' as const) : ('active' as const), latest_invoice: invoiceId };
  await stores.subscriptions.put(started.id, started, payer.id);
  const completed: CheckoutSessionObject = {
    ...session,
    customer: payer.id,
    status: 'complete',
    payment_status: payment.declined ? 'unpaid' : 'paid',
    subscription: started.id,
    url: null,
  };
  await stores.checkoutSessions.put(session.id, { ...record, session: completed }, payer.id);

  await emu.events.publish('customer.subscription.created', started);
  await publishPayment(emu, payment);
  await emu.events.publish('checkout.session.completed', completed);
  return completed;
}
