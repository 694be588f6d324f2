import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertNotCanceled, found, saveSubscriptionChange, withCancelAtPeriodEnd } from './billing.js';
import { DEFAULT_TEST_CARD, findPrice, planLabel, TEST_CARDS, usd } from './catalog.js';
import type { Emulator } from './emulator.js';
import { completeCheckout } from './sessions.js';
import type { CheckoutSessionObject } from './state.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const date = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 10);

function sendPage(reply: FastifyReply, title: string, body: string, status = 200) {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escapeHtml(title)} · Stripe sandbox</title><style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}` +
        `.badge{display:inline-block;background:#ffde92;border-radius:4px;padding:2px 8px;font-size:12px}.amount{font-size:2rem;margin:.5rem 0}` +
        `input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}button{margin-top:1rem;width:100%;padding:.75rem;background:#635bff;color:#fff;border:0;border-radius:6px;font-size:1rem}` +
        `.hint{color:#697386;font-size:14px}</style></head><body><main><span class="badge">Stripe sandbox · test mode</span>${body}</main></body></html>`,
    );
}

const SessionParams = z.object({ id: z.string() });
const PayForm = z.object({ card: z.string().optional() }).nullish();
const PortalAction = z.object({ id: z.string(), subscriptionId: z.string(), action: z.enum(['cancel', 'resume']) });

/** The success URL with Stripe's `{CHECKOUT_SESSION_ID}` template filled in. */
const successUrl = (session: CheckoutSessionObject) => session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id);

/** The pages Stripe hosts for our users: Checkout, the billing portal and invoices. */
const pageRoutes: FastifyPluginAsyncZod<{ emu: Emulator }> = async (app, { emu }) => {
  const { checkoutSessions, portalSessions, subscriptions, invoices } = emu.stores;
  const hide = true;
  // One completion per session even if Pay is pressed twice.
  const completing = new Map<string, Promise<CheckoutSessionObject>>();

  app.get('/checkout/:id', { schema: { hide, params: SessionParams } }, async (request, reply) => {
    const record = await checkoutSessions.get(request.params.id);
    if (!record) return sendPage(reply, 'Not found', '<h1>This checkout session does not exist.</h1>', 404);
    const { session, lineItems } = record;
    if (session.status !== 'open') {
      return sendPage(reply, 'Paid', `<h1>This checkout is complete.</h1><p><a href="${escapeHtml(successUrl(session))}">Continue</a></p>`);
    }
    const price = findPrice(lineItems[0]!.price)!;
    const cancel = session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel and go back</a></p>` : '';
    return sendPage(
      reply,
      `Subscribe to ${planLabel(price)}`,
      `<h1>Subscribe to ${escapeHtml(planLabel(price))}</h1><p class="amount">${usd(session.amount_total)} <small>per month</small></p>` +
        `<form method="post" action="/sandbox/stripe/checkout/${escapeHtml(session.id)}/pay">` +
        `<label>Card number <input name="card" value="${DEFAULT_TEST_CARD}" inputmode="numeric" autocomplete="off"></label>` +
        `<p class="hint">4242 4242 4242 4242 pays. 4000 0000 0000 0341 is saved but declined on every charge.</p>` +
        `<button type="submit">Pay ${usd(session.amount_total)}</button></form>${cancel}`,
    );
  });

  app.post('/checkout/:id/pay', { schema: { hide, params: SessionParams, body: PayForm } }, async (request, reply) => {
    const { id } = request.params;
    const record = await checkoutSessions.get(id);
    if (!record) return sendPage(reply, 'Not found', '<h1>This checkout session does not exist.</h1>', 404);
    const card = (request.body?.card ?? DEFAULT_TEST_CARD).replace(/\D/g, '');
    if (!TEST_CARDS[card]) {
      return sendPage(reply, 'Card refused', `<h1>Use a test card</h1><p>The sandbox accepts ${Object.keys(TEST_CARDS).join(' and ')}.</p><p><a href="/sandbox/stripe/checkout/${escapeHtml(id)}">Back</a></p>`, 402);
    }
    let completion = completing.get(id);
    if (!completion) {
      completion = completeCheckout(emu, record, card).finally(() => completing.delete(id));
      completing.set(id, completion);
    }
    const session = await completion;
    // Our app learns of the subscription before the user lands back on it.
    await emu.events.drain();
    return reply.redirect(successUrl(session), 303);
  });

  app.get('/portal/:id', { schema: { hide, params: SessionParams } }, async (request, reply) => {
    const portal = await portalSessions.get(request.params.id);
    if (!portal) return sendPage(reply, 'Not found', '<h1>This portal session does not exist.</h1>', 404);
    const rows = (await subscriptions.list({ owner: portal.customer })).map((sub) => {
      const item = sub.items.data[0]!;
      const action = sub.status === 'canceled' ? '' : sub.cancel_at_period_end ? 'resume' : 'cancel';
      const button = action
        ? `<form method="post" action="/sandbox/stripe/portal/${escapeHtml(portal.id)}/subscriptions/${escapeHtml(sub.id)}/${action}"><button type="submit">${action === 'cancel' ? 'Cancel plan' : 'Renew plan'}</button></form>`
        : '';
      const ends = sub.cancel_at_period_end ? `ends ${date(item.current_period_end)}` : `renews ${date(item.current_period_end)}`;
      return `<li><strong>${escapeHtml(planLabel(item.price))}</strong> ${usd(item.price.unit_amount)}/month · ${escapeHtml(sub.status)}${sub.status === 'canceled' ? '' : ` · ${ends}`}${button}</li>`;
    });
    const back = portal.return_url ? `<p><a href="${escapeHtml(portal.return_url)}">Return</a></p>` : '';
    return sendPage(reply, 'Billing', `<h1>Your plan</h1><ul>${rows.join('') || '<li>No subscriptions.</li>'}</ul>${back}`);
  });

  app.post('/portal/:id/subscriptions/:subscriptionId/:action', { schema: { hide, params: PortalAction } }, async (request, reply) => {
    const { id, subscriptionId, action } = request.params;
    const portal = await found(portalSessions.get(id), 'billing_portal.session', id);
    const before = await found(subscriptions.get(subscriptionId), 'subscription', subscriptionId);
    if (before.customer !== portal.customer) return sendPage(reply, 'Not found', '<h1>No such subscription.</h1>', 404);
    assertNotCanceled(before);
    await saveSubscriptionChange(emu, before, withCancelAtPeriodEnd(emu, before, action === 'cancel'));
    return reply.redirect(`/sandbox/stripe/portal/${id}`, 303);
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
