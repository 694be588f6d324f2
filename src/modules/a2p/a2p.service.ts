import { eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { a2pRegistrations, phoneNumbers, subscriptions } from '../../db/schema/index.js';
import { A2P_FEE_CENTS, brandOutcome, campaignOutcome, canInitiateBrand, canSubmitCampaign, type BrandType } from '../../domain/a2p.js';
import { hasFeature } from '../../domain/plans.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../auth/sessions.js';
import type { CampaignInfo, CheckoutBody } from './a2p.schemas.js';

async function registrationOf(ctx: AppContext, organizationId: string) {
  await ctx.db.insert(a2pRegistrations).values({ organizationId }).onConflictDoNothing();
  return (await ctx.db.select().from(a2pRegistrations).where(eq(a2pRegistrations.organizationId, organizationId)))[0]!;
}

const update = (ctx: AppContext, organizationId: string, patch: Partial<typeof a2pRegistrations.$inferInsert>) =>
  ctx.db.update(a2pRegistrations).set({ ...patch, updatedAt: sql`now()` }).where(eq(a2pRegistrations.organizationId, organizationId));

export async function a2pStatus(ctx: AppContext, auth: AuthContext) {
  const r = await registrationOf(ctx, auth.organizationId);
  return {
    status: r.status,
    paid: r.paidAt !== null,
    brandType: r.brandType,
    messagingServiceSid: r.messagingServiceSid,
    smsUsed: r.smsUsed,
    hasSmsSubscription: hasFeature(auth.plan, 'sms'),
    failureReason: r.failureReason,
    // What was submitted, so a rejected registration can be corrected rather than retyped.
    businessInfo: r.businessInfo ?? null,
    representativeInfo: r.representativeInfo ?? null,
    campaignInfo: r.campaignInfo ?? null,
  };
}

/**
 * Records the registration details and charges the one-time fee to the card on file (the
 * card of the Pro subscription), idempotently per organization. Answers the invoice URL.
 */
export async function a2pCheckout(ctx: AppContext, auth: AuthContext, input: z.infer<typeof CheckoutBody>) {
  const r = await registrationOf(ctx, auth.organizationId);
  await update(ctx, auth.organizationId, {
    businessInfo: input.businessInfo,
    representativeInfo: input.representativeInfo,
    campaignInfo: input.campaignInfo,
    brandType: input.businessInfo.businessType,
  });
  const [subscription] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.organizationId, auth.organizationId));
  if (!subscription?.stripeCustomerId) {
    throw new AppError('PAYMENT_REQUIRED', 'Subscribe to a plan through checkout first: the registration fee is charged to that card');
  }
  const { stripe } = ctx.providers;
  const key = `a2p-fee:${auth.organizationId}`;
  try {
    const draft = await stripe.createOneOffInvoice(
      { customerId: subscription.stripeCustomerId, amountCents: A2P_FEE_CENTS, description: 'A2P 10DLC SMS registration', metadata: { kind: 'a2p-fee', organizationId: auth.organizationId } },
      `${key}:one-off`,
    );
    const open = draft.status === 'draft' ? await stripe.finalizeInvoice(draft.id, `${key}:finalize`) : draft;
    const paid = r.paidAt || open.status === 'paid' ? open : await stripe.payInvoice(open.id, `${key}:pay`);
    if (paid.status !== 'paid') throw new AppError('PAYMENT_REQUIRED', `The card was declined: ${paid.paymentError ?? 'payment failed'}`);
    if (!r.paidAt) await update(ctx, auth.organizationId, { paidAt: ctx.now(), checkoutSessionId: paid.id });
    return { url: paid.hostedUrl ?? `${ctx.config.appUrl}/dashboard/sms` };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('PROVIDER_ERROR', `Stripe could not charge the registration fee: ${(err as Error).message}`);
  }
}

/** Starts (or restarts) brand registration and sets up the Messaging Service with our number. */
export async function initiateBrand(ctx: AppContext, auth: AuthContext) {
  const r = await registrationOf(ctx, auth.organizationId);
  if (!r.paidAt) throw new AppError('PAYMENT_REQUIRED', 'Pay the registration fee first (POST /api/a2p/checkout)');
  if (!canInitiateBrand(r.status)) throw new AppError('CONFLICT', `Brand registration cannot start from ${r.status}`);
  const business = r.businessInfo as { businessName: string } | null;
  const rep = r.representativeInfo as { email: string } | null;
  if (!business || !rep) throw new AppError('BAD_REQUEST', 'Registration details are missing: send them with /api/a2p/checkout');
  const [number] = await ctx.db.select().from(phoneNumbers).where(eq(phoneNumbers.organizationId, auth.organizationId));
  if (!number) throw new AppError('BAD_REQUEST', 'Provision a phone number before registering for SMS');
  const { twilio } = ctx.providers;
  try {
    let serviceSid = r.messagingServiceSid;
    if (!serviceSid) {
      const service = await twilio.createMessagingService({
        friendlyName: `epoch-voice-${auth.organizationId}`,
        inboundRequestUrl: `${ctx.config.appUrl}/api/webhooks/twilio/sms-inbound`,
        statusCallbackUrl: `${ctx.config.appUrl}/api/webhooks/twilio/sms-status`,
      });
      await twilio.addNumberToMessagingService(service.sid, number.twilioPhoneNumberSid);
      serviceSid = service.sid;
      await update(ctx, auth.organizationId, { messagingServiceSid: serviceSid });
    }
    const brand = await twilio.createBrand({ businessName: business.businessName, email: rep.email, brandType: (r.brandType ?? 'SOLE_PROPRIETOR') as BrandType });
    await update(ctx, auth.organizationId, { brandSid: brand.sid, status: 'BRAND_PENDING', failureReason: null });
    return { success: true as const, status: 'BRAND_PENDING' as const };
  } catch (err) {
    throw new AppError('PROVIDER_ERROR', `Twilio could not register the brand: ${(err as Error).message}`);
  }
}

export async function submitCampaign(ctx: AppContext, auth: AuthContext, info: z.infer<typeof CampaignInfo>) {
  const r = await registrationOf(ctx, auth.organizationId);
  if (!canSubmitCampaign(r.status)) throw new AppError('CONFLICT', `A campaign needs an approved brand (status: ${r.status})`);
  try {
    const campaign = await ctx.providers.twilio.createCampaign({
      messagingServiceSid: r.messagingServiceSid!,
      brandSid: r.brandSid!,
      useCase: info.useCase.toUpperCase(),
      description: info.description ?? `Messages from ${(r.businessInfo as { businessName?: string } | null)?.businessName ?? 'the business'} to its customers: ${info.useCase}.`,
      messageFlow: info.messageFlow ?? 'Customers give their phone number when they call or book, and agree to receive messages about their appointments.',
      messageSamples: info.sampleMessages,
      hasEmbeddedLinks: info.sampleMessages.some((m) => /https?:\/\//.test(m)),
      hasEmbeddedPhone: info.sampleMessages.some((m) => /\+?\d[\d\s().-]{8,}\d/.test(m)),
    });
    await update(ctx, auth.organizationId, { campaignSid: campaign.sid, campaignInfo: info, status: 'CAMPAIGN_PENDING', failureReason: null });
    return { success: true as const, campaignSid: campaign.sid, status: 'CAMPAIGN_PENDING' as const };
  } catch (err) {
    throw new AppError('PROVIDER_ERROR', `Twilio could not submit the campaign: ${(err as Error).message}`);
  }
}

/** The a2p-status job: asks Twilio about every pending brand and campaign and records the outcome. */
export async function advancePendingRegistrations(ctx: AppContext) {
  const pending = await ctx.db.select().from(a2pRegistrations).where(inArray(a2pRegistrations.status, ['BRAND_PENDING', 'CAMPAIGN_PENDING']));
  let updated = 0;
  let errors = 0;
  for (const r of pending) {
    try {
      const outcome =
        r.status === 'BRAND_PENDING'
          ? await ctx.providers.twilio.getBrand(r.brandSid!).then((b) => ({ status: brandOutcome(b.status), reason: b.failureReason }))
          : await ctx.providers.twilio
              .getCampaign(r.messagingServiceSid!, r.campaignSid!)
              .then((c) => ({ status: campaignOutcome(c.status), reason: c.failureReason }));
      if (outcome.status) {
        await update(ctx, r.organizationId, { status: outcome.status, failureReason: outcome.reason });
        updated++;
      }
    } catch (err) {
      errors++;
      ctx.log.error({ err, organizationId: r.organizationId }, 'a2p-status: could not check registration');
    }
  }
  return { checked: pending.length, updated, errors };
}
