import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CARD_HINT, TEST_CARDS, testCard } from './cards.js';
import { findPrice, planLabel, usd } from './catalog.js';
import { payCheckout, type CheckoutAttempt } from './checkout.js';
import type { Emulator } from './emulator.js';
import { cardForm, escapeHtml, sendPage } from './page.js';
import type { CheckoutRecord, CheckoutSessionObject } from './state.js';

const SessionParams = z.object({ id: z.string() });
const PayForm = z.object({ card: z.string().optional() }).nullish();

/** The success URL with Stripe's `{CHECKOUT_SESSION_ID}` template filled in. */
const successUrl = (session: CheckoutSessionObject) => session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id);

/** The open Checkout page: what is bought, and the card form (with the last decline, if any). */
function checkoutPage(reply: FastifyReply, record: CheckoutRecord, error?: string) {
  const { session, lineItems } = record;
  const first = lineItems[0]!;
  const price = findPrice(first.price);
  const [title, per] = price ? [`Subscribe to ${planLabel(price)}`, ' <small>per month</small>'] : [`Pay for ${first.name ?? 'your order'}`, ''];
  const cancel = session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel and go back</a></p>` : '';
  const form = cardForm(`/sandbox/stripe/checkout/${session.id}/pay`, `Pay ${usd(session.amount_total)}`, CARD_HINT, error);
  return sendPage(reply, title, `<h1>${escapeHtml(title)}</h1><p class="amount">${usd(session.amount_total)}${per}</p>${form}${cancel}`, error ? 402 : 200);
}

/** The pages Stripe hosts for our users: Checkout and invoices (the billing portal is in portal.ts). */
const pageRoutes: FastifyPluginAsyncZod<{ emu: Emulator }> = async (app, { emu }) => {
  const { checkoutSessions, invoices } = emu.stores;
  const hide = true;
  // One completion per session even if Pay is pressed twice.
  const completing = new Map<string, Promise<CheckoutAttempt>>();

  app.get('/checkout/:id', { schema: { hide, params: SessionParams } }, async (request, reply) => {
    const record = await checkoutSessions.get(request.params.id);
    if (!record) return sendPage(reply, 'Not found', '<h1>This checkout session does not exist.</h1>', 404);
    const { session } = record;
    if (session.status === 'expired') return sendPage(reply, 'Expired', '<h1>This checkout session has expired.</h1>', 410);
    if (session.status !== 'open') {
      return sendPage(reply, 'Paid', `<h1>This checkout is complete.</h1><p><a href="${escapeHtml(successUrl(session))}">Continue</a></p>`);
    }
    return checkoutPage(reply, record);
  });

  // A declined card shows the decline on the page and leaves the session open, as Stripe's Checkout does.
  app.post('/checkout/:id/pay', { schema: { hide, params: SessionParams, body: PayForm } }, async (request, reply) => {
    const { id } = request.params;
    const record = await checkoutSessions.get(id);
    if (!record) return sendPage(reply, 'Not found', '<h1>This checkout session does not exist.</h1>', 404);
    const card = testCard(request.body?.card);
    if (!card) return checkoutPage(reply, record, `Use a test card: the sandbox accepts ${Object.keys(TEST_CARDS).join(', ')}.`);
    let completion = completing.get(id);
    if (!completion) {
      completion = payCheckout(emu, record, card).finally(() => completing.delete(id));
      completing.set(id, completion);
    }
    const attempt = await completion;
    if (attempt.declined) return checkoutPage(reply, record, attempt.declined.declineMessage);
    if (attempt.session.status === 'expired') return sendPage(reply, 'Expired', '<h1>This checkout session has expired.</h1>', 410);
    // Our app learns of the outcome before the user lands back on it.
    await emu.events.drain();
    return reply.redirect(successUrl(attempt.session), 303);
  });

  app.get('/invoices/:id', { schema: { hide, params: SessionParams } }, async (request, reply) => {
    const invoice = await invoices.get(request.params.id);
    if (!invoice) return sendPage(reply, 'Not found', '<h1>This invoice does not exist.</h1>', 404);
    const lines = invoice.lines.data.map((line) => `<li>${escapeHtml(line.description ?? 'Item')} · ${usd(line.amount)}</li>`).join('');
    return sendPage(
      reply,
      `Invoice ${invoice.number ?? invoice.id}`,
      `<h1>Invoice ${escapeHtml(invoice.number ?? invoice.id)}</h1><p class="amount">${usd(invoice.total)}</p><p>Status: ${escapeHtml(invoice.status)}</p><ul>${lines}</ul>`,
    );
  });
};

export default pageRoutes;
