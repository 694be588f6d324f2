import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { found, newCustomer } from './billing.js';
import { findPrice, PRICES } from './catalog.js';
import type { Emulator } from './emulator.js';
import { invalidRequest, noSuch } from './errors.js';
import { parseStripeForm } from './form.js';
import { Bool, Expand, IdParams, Integer, Metadata } from './schemas.js';

const CustomerCreate = z.strictObject({
  email: z.string().max(512).optional(),
  name: z.string().max(256).optional(),
  description: z.string().optional(),
  phone: z.string().max(20).optional(),
  metadata: Metadata.optional(),
  expand: Expand,
});

const PriceList = z.strictObject({
  lookup_keys: z.array(z.string()).optional(),
  active: Bool.optional(),
  limit: Integer.pipe(z.number().min(1).max(100)).default(10),
  expand: Expand,
});

/** Customers, and the price catalog checkout and plan changes look prices up in. */
const customerRoutes: FastifyPluginAsyncZod<{ emu: Emulator }> = async (api, { emu }) => {
  const { customers } = emu.stores;
  const hide = true;

  api.post('/customers', { schema: { hide, body: CustomerCreate } }, async (request) => {
    const customer = newCustomer(emu, request.body);
    return customers.put(customer.id, customer);
  });

  api.get('/customers/:id', { schema: { hide, params: IdParams } }, async (request) =>
    found(customers.get(request.params.id), 'customer', request.params.id),
  );

  // stripe-node sends list filters as bracketed query parameters (`lookup_keys[0]=starter`).
  api.get('/prices', { schema: { hide } }, async (request) => {
    const parsed = PriceList.safeParse(parseStripeForm(request.url.split('?')[1] ?? ''));
    if (!parsed.success) throw invalidRequest(`Invalid parameters: ${parsed.error.issues[0]?.message}`);
    const { lookup_keys: lookupKeys, active, limit } = parsed.data;
    const matching = PRICES.filter(
      (price) =>
        (!lookupKeys || (price.lookup_key !== null && lookupKeys.includes(price.lookup_key))) &&
        (active === undefined || price.active === active),
    );
    return { object: 'list', data: matching.slice(0, limit), has_more: matching.length > limit, url: '/v1/prices' };
  });

  api.get('/prices/:id', { schema: { hide, params: IdParams } }, async (request) => {
    const price = findPrice(request.params.id);
    if (!price) throw noSuch('price', request.params.id);
    return price;
  });
};

export default customerRoutes;
