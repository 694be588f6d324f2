import type { A2pStatus } from '../db/schema/messaging.js';

/** One-time A2P 10DLC registration fee (brand + campaign vetting), charged before we register. */
export const A2P_FEE_CENTS = 2000;

export const BRAND_TYPES = ['SOLE_PROPRIETOR', 'LOW_VOLUME_STANDARD', 'STANDARD'] as const;
export type BrandType = (typeof BRAND_TYPES)[number];

/** US carriers need an EIN for every brand but a sole proprietor's. */
export const requiresEin = (brandType: BrandType) => brandType !== 'SOLE_PROPRIETOR';

/** Brand registration may start (or restart) from these states, once the fee is paid. */
export const canInitiateBrand = (status: A2pStatus) => status === 'NOT_STARTED' || status === 'BRAND_FAILED';

/** A campaign may be submitted once the brand is approved (or resubmitted after a failure). */
export const canSubmitCampaign = (status: A2pStatus) => status === 'BRAND_APPROVED' || status === 'CAMPAIGN_FAILED';

/** Our state for Twilio's brand status; undefined while Twilio is still deciding. */
export function brandOutcome(twilioStatus: string): A2pStatus | undefined {
  if (twilioStatus === 'APPROVED') return 'BRAND_APPROVED';
  if (twilioStatus === 'FAILED' || twilioStatus === 'SUSPENDED' || twilioStatus === 'DELETED') return 'BRAND_FAILED';
  return undefined;
}

export function campaignOutcome(twilioStatus: string): A2pStatus | undefined {
  if (twilioStatus === 'VERIFIED') return 'CAMPAIGN_APPROVED';
  if (twilioStatus === 'FAILED') return 'CAMPAIGN_FAILED';
  return undefined;
}
