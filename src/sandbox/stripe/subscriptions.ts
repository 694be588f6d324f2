import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertNotCanceled, found, mergeMetadata, saveSubscriptionChange, withCancelAtPeriodEnd } from './billing.js';
import { findPrice } from './catalog.js';
import type { Emulator } from './emulator.js';
import { invalidRequest, noSuch } from './errors.js';
import { Bool, Expand, IdParams, Integer, Metadata } from './schemas.js';
import { newId, type SubscriptionItemObject, type SubscriptionObject } from './state.js';

const SubscriptionUpdate = z.strictObject({
  items: z
    .array(z.strictObject({ id: z.string().optional(), price: z.string().optional(), quantity: Integer.pipe(z.number().min(1)).optional() }))
    .optional(),
  cancel_at_period_end: Bool.optional(),
  metadata: Metadata.optional(),
  // Prorations are not emulated: accepted so the real request shape passes.
  proration_behavior: z.enum(['create_prorations', 'none', 'always_invoice']).optional(),
  expand: Expand,
});

/** An item with `id` changes that item; one without adds an item, as on Stripe. */
function applyItems(subscription: SubscriptionObject, changes: NonNullable<z.infer<typeof SubscriptionUpdate>['items']>): SubscriptionItemObject[] {
  const items = [...subscription.items.data];
  const template = items[0]!;
  changes.forEach((change, i) => {
    const price = change.price === undefined ? undefined : findPrice(change.price);
    if (change.price !== undefined && !price) throw noSuch('price', change.price, `items[${i}][price]`);
    if (change.id === undefined) {
      if (!price) throw invalidRequest(`Missing required param: items[${i}][price].`, `items[${i}][price]`);
      items.push({ ...template, id: newId('si', 14), created: subscription.created, price, quantity: change.quantity ?? 1, metadata: {} });
      return;
    }
    const index = items.findIndex((item) => item.id === change.id);
    if (index < 0) throw noSuch('subscription_item', change.id, `items[${i}][id]`);
    items[index] = { ...items[index]!, ...(price ? { price } : {}), ...(change.quantity ? { quantity: change.quantity } : {}) };
  });
  return items;
}

/** Retrieve, update (plan change, cancel at period end and resume, metadata) and cancel now. */
const subscriptionRoutes: FastifyPluginAsyncZod<{ emu: Emulator }> = async (api, { emu }) => {
  const { subscriptions } = emu.stores;
  const hide = true;
  const load = (id: string) => found(subscriptions.get(id), 'subscription', id);

  api.get('/subscriptions/:id', { schema: { hide, params: IdParams } }, async (request) => load(request.params.id));

  api.post('/subscriptions/:id', { schema: { hide, params: IdParams, body: SubscriptionUpdate } }, async (request) => {
    const before = await load(request.params.id);
    const { items, cancel_at_period_end: cancelAtPeriodEnd, metadata } = request.body;
    if (items !== undefined || cancelAtPeriodEnd !== undefined) assertNotCanceled(before);
    let after: SubscriptionObject = { ...before, metadata: mergeMetadata(before.metadata, metadata) };
    if (items) after = { ...after, items: { ...after.items, data: applyItems(after, items) } };
    if (cancelAtPeriodEnd !== undefined && cancelAtPeriodEnd !== before.cancel_at_period_end) {
      after = withCancelAtPeriodEnd(emu, after, cancelAtPeriodEnd);
    }
    return saveSubscriptionChange(emu, before, after);
  });

  // Its optional parameters (invoice_now, prorate) concern prorations, which are not emulated.
  api.delete('/subscriptions/:id', { schema: { hide, params: IdParams } }, async (request) => {
    const before = await load(request.params.id);
    // Stripe treats an ended subscription as gone for this call.
    if (before.status === 'canceled') throw noSuch('subscription', before.id);
    const now = emu.now();
    const canceled: SubscriptionObject = {
      ...before,
      status: 'canceled',
      canceled_at: before.canceled_at ?? now,
      ended_at: now,
      cancellation_details: { ...before.cancellation_details, reason: 'cancellation_requested' },
    };
    await subscriptions.put(canceled.id, canceled, canceled.customer);
    await emu.events.publish('customer.subscription.deleted', canceled);
    return canceled;
  });
};

export default subscriptionRoutes;
