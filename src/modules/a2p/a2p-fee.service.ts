import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { a2pRegistrations } from '../../db/schema/index.js';
import { A2P_FEE_CENTS } from '../../domain/a2p.js';
import type { CheckoutSession } from '../../providers/stripe/port.js';
import type { AuthContext } from '../auth/sessions.js';
import { ensureCustomer, readBack, viaStripe } from '../billing/customer.service.js';
import { isUuid } from '../billing/subscription.repo.js';
import type { CheckoutBody } from './a2p.schemas.js';
import { registrationOf, updateRegistration } from './a2p.repo.js';

/** `metadata.kind` of the Checkout that pays the registration fee (with `metadata.organizationId`, the registration's key). */
export const A2P_FEE_KIND = 'a2p-fee';

/** Where the fee's Checkout returns to: the registration on the Phone & SMS page. */
const A2P_PAGE = '/dashboard/phone';

/**
 * Records a paid fee Checkout on the organization's registration, once: the first paid session
 * sets `paidAt`, anything after changes nothing (the webhook and the return page both call this).
 */
export async function recordA2pFeePayment(ctx: AppContext, session: CheckoutSession): Promise<'applied' | 'ignored'> {
  const organizationId = session.organizationId;
  if (session.paymentStatus !== 'paid' || !isUuid(organizationId)) return 'ignored';
  const paid = { organizationId, paidAt: ctx.now(), checkoutSessionId: session.id };
  try {
    const claimed = await ctx.db
      .insert(a2pRegistrations)
      .values(paid)
      .onConflictDoUpdate({ target: a2pRegistrations.organizationId, set: { ...paid, updatedAt: sql`now()` }, setWhere: sql`${a2pRegistrations.paidAt} is null` })
      .returning({ organizationId: a2pRegistrations.organizationId });
    return claimed.length > 0 ? 'applied' : 'ignored';
  } catch (err) {
    // An organization deleted since (foreign key): nothing to record.
    if ((err as { code?: string }).code === '23503') return 'ignored';
    throw err;
  }
}

/**
 * Saves the registration details and answers where to pay the one-time fee: a Stripe Checkout
 * (`mode: payment`) whose metadata names the registration, whether or not the organization
 * pays for its plan through Stripe. The fee's Checkout still open is answered again, one paid
 * since is recorded, and a fee already paid answers the registration page. Serialized per
 * organization, so N identical requests make one Checkout Session and one answer.
 */
export function a2pCheckout(ctx: AppContext, auth: AuthContext, input: z.infer<typeof CheckoutBody>) {
  const { organizationId } = auth;
  return ctx.withOrgLock(organizationId, 'checkout', async () => {
    const registration = await registrationOf(ctx, organizationId);
    await updateRegistration(ctx, organizationId, {
      businessInfo: input.businessInfo,
      representativeInfo: input.representativeInfo,
      campaignInfo: input.campaignInfo,
      brandType: input.businessInfo.businessType,
    });
    const page = `${ctx.config.appUrl}${A2P_PAGE}`;
    if (registration.paidAt) return { url: `${page}#a2p` };
    const { stripe } = ctx.providers;
    const previousId = registration.checkoutSessionId;
    const previous = previousId ? await viaStripe('read the checkout', () => readBack(() => stripe.getCheckoutSession(previousId))) : undefined;
    if (previous?.status === 'open' && previous.url) return { url: previous.url };
    if (previous && (await recordA2pFeePayment(ctx, previous)) === 'applied') return { url: `${page}#a2p` };
    const customerId = await ensureCustomer(ctx, organizationId);
    const session = await viaStripe('start the checkout', () =>
      stripe.createPaymentCheckoutSession(
        {
          customerId,
          amountCents: A2P_FEE_CENTS,
          description: 'A2P 10DLC SMS registration',
          successUrl: `${page}?checkout=success&session_id={CHECKOUT_SESSION_ID}#a2p`,
          cancelUrl: `${page}?checkout=cancelled#a2p`,
          organizationId,
          metadata: { kind: A2P_FEE_KIND },
        },
        `a2p-fee:${organizationId}:${randomUUID()}`,
      ),
    );
    await updateRegistration(ctx, organizationId, { checkoutSessionId: session.id });
    return { url: session.url };
  });
}
