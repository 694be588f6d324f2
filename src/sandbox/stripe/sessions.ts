import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { found } from './billing.js';
import { findPrice } from './catalog.js';
import type { Emulator } from './emulator.js';
import { invalidRequest, noSuch } from './errors.js';
import { Expand, IdParams, Integer, Metadata } from './schemas.js';
import { CHECKOUT_SESSION_DEFAULTS, PORTAL_SESSION_DEFAULTS } from './defaults.js';
import { newId, type CheckoutRecord, type CheckoutSessionObject, type PortalSessionObject } from './state.js';

/** Checkout Sessions expire after 24 hours unless completed. */
const CHECKOUT_TTL_SECONDS = 24 * 3600;

/** An ad-hoc price for one line (payment mode), instead of a catalog price. */
const PriceData = z.strictObject({
  currency: z.literal('usd'),
  unit_amount: Integer.pipe(z.number().min(1)),
  product_data: z.strictObject({ name: z.string().min(1).max(250) }),
});

const CheckoutCreate = z.strictObject({
  // The modes we sell in: plans (subscription) and one-time fees (payment).
  mode: z.enum(['subscription', 'payment']),
  customer: z.string().optional(),
  customer_email: z.string().optional(),
  line_items: z
    .array(z.strictObject({ price: z.string().optional(), price_data: PriceData.optional(), quantity: Integer.pipe(z.number().min(1)).default(1) }))
    .min(1),
  success_url: z.url(),
  cancel_url: z.url().optional(),
  client_reference_id: z.string().max(200).optional(),
  metadata: Metadata.optional(),
  subscription_data: z.strictObject({ metadata: Metadata.optional() }).optional(),
  payment_intent_data: z.strictObject({ description: z.string().max(1000).optional(), metadata: Metadata.optional() }).optional(),
  expand: Expand,
});
type LineItemInput = z.infer<typeof CheckoutCreate>['line_items'][number];

/** A line as the session keeps it: a catalog price (recurring, subscription mode) or an ad-hoc one-time price. */
function lineItemOf(mode: 'subscription' | 'payment', item: LineItemInput, i: number): CheckoutRecord['lineItems'][number] & { unitAmount: number } {
  if (item.price !== undefined && item.price_data !== undefined) {
    throw invalidRequest(`You may only specify one of these parameters: line_items[${i}][price], line_items[${i}][price_data].`, `line_items[${i}]`);
  }
  if (item.price_data) {
    if (mode === 'subscription') throw invalidRequest('The sandbox sells subscriptions from its price catalog only: pass a price.', `line_items[${i}][price_data]`);
    return { price: newId('price'), quantity: item.quantity, name: item.price_data.product_data.name, unitAmount: item.price_data.unit_amount };
  }
  if (item.price === undefined) throw invalidRequest(`Missing required param: line_items[${i}][price].`, `line_items[${i}][price]`);
  const price = findPrice(item.price);
  if (!price) throw noSuch('price', item.price, `line_items[${i}][price]`);
  if (mode === 'payment') {
    throw invalidRequest('You must provide at least one one-time price in `payment` mode: this price is recurring.', `line_items[${i}][price]`);
  }
  return { price: price.id, quantity: item.quantity, unitAmount: price.unit_amount };
}

const PortalCreate = z.strictObject({
  customer: z.string(),
  return_url: z.url().optional(),
  configuration: z.string().optional(),
  expand: Expand,
});

/** An empty POST may arrive without a body at all. */
const NoParams = z.strictObject({ expand: Expand }).nullish();

/** Checkout Sessions (and their PaymentIntents) and billing portal sessions: the hosted pages (pages.ts) they point at. */
const sessionRoutes: FastifyPluginAsyncZod<{ emu: Emulator }> = async (api, { emu }) => {
  const { customers, checkoutSessions, portalSessions } = emu.stores;
  const hide = true;

  api.post('/checkout/sessions', { schema: { hide, body: CheckoutCreate } }, async (request) => {
    const body = request.body;
    const customer = body.customer ? await found(customers.get(body.customer), 'customer', body.customer, 'customer') : undefined;
    if (body.mode === 'payment' && body.subscription_data) throw invalidRequest('`subscription_data` can only be used in `subscription` mode.', 'subscription_data');
    if (body.mode === 'subscription' && body.payment_intent_data) {
      throw invalidRequest('`payment_intent_data` can only be used in `payment` mode.', 'payment_intent_data');
    }
    const lineItems = body.line_items.map((item, i) => lineItemOf(body.mode, item, i));
    const amount = lineItems.reduce((sum, { unitAmount, quantity }) => sum + unitAmount * quantity, 0);
    const id = newId('cs_test', 58);
    const now = emu.now();
    const session: CheckoutSessionObject = {
      ...CHECKOUT_SESSION_DEFAULTS,
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
      mode: body.mode,
      payment_intent: null,
      payment_status: 'unpaid',
      status: 'open',
      subscription: null,
      success_url: body.success_url,
      url: emu.pageUrl(`/checkout/${id}`),
    };
    const record: CheckoutRecord = {
      session,
      lineItems,
      subscriptionMetadata: body.subscription_data?.metadata ?? {},
      ...(body.payment_intent_data
        ? { paymentIntentData: { description: body.payment_intent_data.description ?? null, metadata: body.payment_intent_data.metadata ?? {} } }
        : {}),
    };
    await checkoutSessions.put(id, record, customer?.id ?? '');
    return session;
  });

  api.get('/checkout/sessions/:id', { schema: { hide, params: IdParams } }, async (request) => {
    const record = await found(checkoutSessions.get(request.params.id), 'checkout.session', request.params.id);
    return record.session;
  });

  // Ends an open session so it can no longer be paid (a newer one replaces it).
  api.post('/checkout/sessions/:id/expire', { schema: { hide, params: IdParams, body: NoParams } }, async (request) => {
    const record = await found(checkoutSessions.get(request.params.id), 'checkout.session', request.params.id);
    if (record.session.status !== 'open') {
      throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${record.session.status}".`);
    }
    const expired: CheckoutSessionObject = { ...record.session, status: 'expired', url: null };
    await checkoutSessions.put(expired.id, { ...record, session: expired }, expired.customer ?? '');
    await emu.events.publish('checkout.session.expired', expired);
    return expired;
  });

  api.get('/payment_intents/:id', { schema: { hide, params: IdParams } }, async (request) =>
    found(emu.stores.paymentIntents.get(request.params.id), 'payment_intent', request.params.id),
  );

  api.post('/billing_portal/sessions', { schema: { hide, body: PortalCreate } }, async (request) => {
    const customer = await found(customers.get(request.body.customer), 'customer', request.body.customer, 'customer');
    const id = newId('bps');
    const session: PortalSessionObject = {
      ...PORTAL_SESSION_DEFAULTS,
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

