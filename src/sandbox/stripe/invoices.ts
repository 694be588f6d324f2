import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { chargeInvoice, finalizeInvoice, found, mergeMetadata, newInvoice, newLine, publishPayment } from './billing.js';
import { cardDeclined } from './cards.js';
import type { Emulator } from './emulator.js';
import { invalidRequest } from './errors.js';
import { Bool, Expand, IdParams, Integer, Metadata } from './schemas.js';
import { INVOICE_ITEM_DEFAULTS } from './defaults.js';
import { newId, type InvoiceItemObject, type InvoiceObject } from './state.js';

const InvoiceItemCreate = z.strictObject({
  customer: z.string(),
  amount: Integer,
  currency: z.string().length(3).toLowerCase(),
  description: z.string().optional(),
  metadata: Metadata.optional(),
  invoice: z.string().optional(),
  expand: Expand,
});

const InvoiceCreate = z.strictObject({
  customer: z.string(),
  auto_advance: Bool.optional(),
  collection_method: z.enum(['charge_automatically', 'send_invoice']).default('charge_automatically'),
  description: z.string().optional(),
  metadata: Metadata.optional(),
  // Stripe's default since 2022-08-01: pending items stay pending unless asked for.
  pending_invoice_items_behavior: z.enum(['include', 'exclude']).default('exclude'),
  expand: Expand,
});

/** An empty POST may arrive without a body at all. */
const NoParams = z.strictObject({ expand: Expand }).nullish();
const PayParams = z.strictObject({ expand: Expand, off_session: Bool.optional() }).nullish();

/**
 * Invoice items and one-off invoices (weekly overage): draft → finalize (open) → pay (paid,
 * or a 402 card_declined leaving it open). `auto_advance` is recorded, never acted on.
 */
const invoiceRoutes: FastifyPluginAsyncZod<{ emu: Emulator }> = async (api, { emu }) => {
  const { customers, invoiceItems, invoices } = emu.stores;
  const hide = true;
  const load = (id: string) => found(invoices.get(id), 'invoice', id);

  api.post('/invoiceitems', { schema: { hide, body: InvoiceItemCreate } }, async (request) => {
    const body = request.body;
    const customer = await found(customers.get(body.customer), 'customer', body.customer, 'customer');
    if (body.currency !== 'usd') throw invalidRequest(`The sandbox account only charges in usd, not ${body.currency}.`, 'currency');
    const target = body.invoice ? await found(invoices.get(body.invoice), 'invoice', body.invoice, 'invoice') : undefined;
    if (target && target.status !== 'draft') throw invalidRequest('You can only add invoice items to draft invoices.', 'invoice');
    const now = emu.now();
    const item: InvoiceItemObject = {
      ...INVOICE_ITEM_DEFAULTS,
      id: newId('ii'),
      object: 'invoiceitem',
      amount: body.amount,
      currency: body.currency,
      customer: customer.id,
      date: now,
      description: body.description ?? null,
      discountable: true,
      invoice: target?.id ?? null,
      livemode: false,
      metadata: mergeMetadata({}, body.metadata),
      parent: null,
      period: { start: now, end: now },
      proration: false,
      quantity: 1,
      test_clock: null,
    };
    if (target) {
      const lines = [...target.lines.data, newLine(target.id, { amount: item.amount, description: item.description, period: item.period, metadata: item.metadata })];
      const total = lines.reduce((sum, line) => sum + line.amount, 0);
      await invoices.put(target.id, { ...target, lines: { ...target.lines, data: lines }, subtotal: total, subtotal_excluding_tax: total, total, total_excluding_tax: total, amount_due: total, amount_remaining: total }, customer.id);
    }
    return invoiceItems.put(item.id, item, customer.id);
  });

  api.post('/invoices', { schema: { hide, body: InvoiceCreate } }, async (request) => {
    const body = request.body;
    const customer = await found(customers.get(body.customer), 'customer', body.customer, 'customer');
    const id = newId('in');
    const pending =
      body.pending_invoice_items_behavior === 'include'
        ? (await invoiceItems.list({ owner: customer.id, limit: 10_000 })).filter((item) => item.invoice === null).reverse()
        : [];
    const invoice = newInvoice(emu, {
      id,
      customer,
      lines: pending.map((item) => newLine(id, { amount: item.amount, description: item.description, period: item.period, metadata: item.metadata })),
      billingReason: 'manual',
      description: body.description,
      metadata: body.metadata,
      autoAdvance: body.auto_advance ?? false,
      collectionMethod: body.collection_method,
    });
    await invoices.put(id, invoice, customer.id);
    for (const item of pending) await invoiceItems.put(item.id, { ...item, invoice: id }, customer.id);
    return invoice;
  });

  api.get('/invoices/:id', { schema: { hide, params: IdParams } }, async (request) => load(request.params.id));

  api.post('/invoices/:id/finalize', { schema: { hide, params: IdParams, body: NoParams } }, async (request) =>
    finalizeInvoice(emu, await load(request.params.id)),
  );

  api.post('/invoices/:id/pay', { schema: { hide, params: IdParams, body: PayParams } }, async (request) => {
    const invoice = await load(request.params.id);
    // Paying a draft finalizes it first, as Stripe does.
    const payable = invoice.status === 'draft' ? await finalizeInvoice(emu, invoice) : invoice;
    const payment = await chargeInvoice(emu, payable);
    await publishPayment(emu, payment);
    if (payment.declined) throw cardDeclined(payment.card);
    return payment.invoice;
  });

  // Voided (as from the Dashboard): an open invoice that will never be paid.
  api.post('/invoices/:id/void', { schema: { hide, params: IdParams, body: NoParams } }, async (request) => {
    const invoice = await load(request.params.id);
    if (invoice.status !== 'open' && invoice.status !== 'uncollectible') {
      throw invalidRequest(`You can only void an open or uncollectible invoice; this invoice is ${invoice.status}.`);
    }
    const voided: InvoiceObject = { ...invoice, status: 'void', status_transitions: { ...invoice.status_transitions, voided_at: emu.now() } };
    await emu.stores.invoices.put(voided.id, voided, voided.customer);
    await emu.events.publish('invoice.voided', voided);
    return voided;
  });
};

export default invoiceRoutes;
