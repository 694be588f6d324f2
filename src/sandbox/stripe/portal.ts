import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertNotCanceled, found, saveSubscriptionChange, withCancelAtPeriodEnd } from './billing.js';
import { CARD_HINT, testCard } from './cards.js';
import { planLabel, usd } from './catalog.js';
import { useNewCard } from './collection.js';
import type { Emulator } from './emulator.js';
import { cardForm, date, escapeHtml, sendPage } from './page.js';
import type { PortalSessionObject, SubscriptionObject } from './state.js';

const PortalParams = z.object({ id: z.string() });
const PortalAction = z.object({ id: z.string(), subscriptionId: z.string(), action: z.enum(['cancel', 'resume']) });
const CardForm = z.object({ card: z.string().optional() }).nullish();
const NOTICE_KINDS = ['card-saved', 'invoice-paid', 'invoice-declined'] as const;
const Notice = z.object({ notice: z.enum(NOTICE_KINDS).optional() });

const NOTICES: Record<(typeof NOTICE_KINDS)[number], string> = {
  'card-saved': '<p class="ok" role="status">Card saved.</p>',
  'invoice-paid': '<p class="ok" role="status">Card saved, and your open invoice is paid.</p>',
  'invoice-declined': '<p class="error" role="alert">Card saved, but the open invoice was declined again on it.</p>',
};

function subscriptionRow(portal: PortalSessionObject, sub: SubscriptionObject) {
  const item = sub.items.data[0]!;
  const live = sub.status === 'active' || sub.status === 'past_due';
  const action = live ? (sub.cancel_at_period_end ? 'resume' : 'cancel') : '';
  const button = action
    ? `<form method="post" action="/sandbox/stripe/portal/${escapeHtml(portal.id)}/subscriptions/${escapeHtml(sub.id)}/${action}"><button type="submit">${action === 'cancel' ? 'Cancel plan' : 'Renew plan'}</button></form>`
    : '';
  const when = live ? ` · ${sub.cancel_at_period_end ? 'ends' : 'renews'} ${date(item.current_period_end)}` : '';
  const waiting = sub.status === 'past_due' || sub.status === 'incomplete' ? ' · <span class="error">payment due: replace the card to pay it</span>' : '';
  return `<li><strong>${escapeHtml(planLabel(item.price))}</strong> ${usd(item.price.unit_amount)}/month · ${escapeHtml(sub.status)}${when}${waiting}${button}</li>`;
}

/**
 * The billing portal: the customer's card (replaceable: a new card also pays what is due),
 * their subscriptions (cancel at period end, or renew a cancelled one), and a way back.
 */
const portalRoutes: FastifyPluginAsyncZod<{ emu: Emulator }> = async (app, { emu }) => {
  const { portalSessions, subscriptions, customers, paymentMethods } = emu.stores;
  const hide = true;

  async function portalPage(reply: FastifyReply, portal: PortalSessionObject, notice: string, error?: string) {
    const customer = await found(customers.get(portal.customer), 'customer', portal.customer);
    const defaultCard = customer.invoice_settings.default_payment_method;
    const current = defaultCard ? await paymentMethods.get(defaultCard) : undefined;
    const cardLine = current ? `${current.card.brand} •••• ${current.card.last4}` : 'No card on file.';
    const rows = (await subscriptions.list({ owner: portal.customer })).map((sub) => subscriptionRow(portal, sub));
    const back = portal.return_url ? `<p><a href="${escapeHtml(portal.return_url)}">Return</a></p>` : '';
    return sendPage(
      reply,
      'Billing',
      `<h1>Your plan</h1>${notice}<ul>${rows.join('') || '<li>No subscriptions.</li>'}</ul>` +
        `<h2>Payment method</h2><p>${escapeHtml(cardLine)}</p>` +
        cardForm(`/sandbox/stripe/portal/${portal.id}/payment-method`, 'Replace card', CARD_HINT, error) +
        back,
      error ? 402 : 200,
    );
  }

  app.get('/portal/:id', { schema: { hide, params: PortalParams, querystring: Notice } }, async (request, reply) => {
    const portal = await portalSessions.get(request.params.id);
    if (!portal) return sendPage(reply, 'Not found', '<h1>This portal session does not exist.</h1>', 404);
    const { notice } = request.query;
    return portalPage(reply, portal, notice ? NOTICES[notice] : '');
  });

  // A card that declines is not saved (Stripe checks it first); any other becomes the default and pays what is due.
  app.post('/portal/:id/payment-method', { schema: { hide, params: PortalParams, body: CardForm } }, async (request, reply) => {
    const { id } = request.params;
    const portal = await portalSessions.get(id);
    if (!portal) return sendPage(reply, 'Not found', '<h1>This portal session does not exist.</h1>', 404);
    const card = testCard(request.body?.card);
    if (!card) return portalPage(reply, portal, '', 'Use one of the test cards listed below.');
    if (card.behaviour === 'declines') return portalPage(reply, portal, '', card.declineMessage);
    const customer = await found(customers.get(portal.customer), 'customer', portal.customer);
    const payments = await useNewCard(emu, customer, card);
    // Our app learns of the outcome before the user returns to it.
    await emu.events.drain();
    const notice = payments.length === 0 ? 'card-saved' : payments.some((p) => p.declined) ? 'invoice-declined' : 'invoice-paid';
    return reply.redirect(`/sandbox/stripe/portal/${id}?notice=${notice}`, 303);
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
};

export default portalRoutes;
