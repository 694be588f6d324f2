import { eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { a2pRegistrations, phoneNumbers } from '../../db/schema/index.js';
import { brandOutcome, campaignOutcome, canInitiateBrand, canSubmitCampaign, type BrandType } from '../../domain/a2p.js';
import { hasFeature } from '../../domain/plans.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../auth/sessions.js';
import { registrationOf, updateRegistration as update } from './a2p.repo.js';
import type { CampaignInfo } from './a2p.schemas.js';

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
 * Starts (or restarts) brand registration and sets up the Messaging Service with our number.
 * Serialized per organization with the campaign, so N identical requests register one brand
 * (the rest find it pending: 409).
 */
export function initiateBrand(ctx: AppContext, auth: AuthContext) {
  return ctx.withOrgLock(auth.organizationId, 'a2p', () => registerBrand(ctx, auth));
}

async function registerBrand(ctx: AppContext, auth: AuthContext) {
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

/** Submits the campaign once the brand is approved; serialized like the brand, so N identical requests submit one. */
export function submitCampaign(ctx: AppContext, auth: AuthContext, info: z.infer<typeof CampaignInfo>) {
  return ctx.withOrgLock(auth.organizationId, 'a2p', () => createCampaign(ctx, auth, info));
}

async function createCampaign(ctx: AppContext, auth: AuthContext, info: z.infer<typeof CampaignInfo>) {
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
