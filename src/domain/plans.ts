/**
 * The plan table: the one place that knows what each tier includes. Routes ask
 * `hasFeature`/`requireFeature`, never compare tier names.
 */
export const PLAN_TIERS = ['FREE', 'STARTER', 'ADVANCED', 'PRO', 'ENTERPRISE'] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];

export const FEATURES = [
  'knowledgeBase',
  'transcripts',
  'recordings',
  'analytics',
  'editVoice',
  'editPrompt',
  'regeneratePrompt',
  'transferNumber',
  'calendar',
  'editAssistantName',
  'sms',
  'a2p',
  'embedWidget',
  'outbound',
  'browserCalling',
  'overage',
] as const;
export type Feature = (typeof FEATURES)[number];

export interface Plan {
  tier: PlanTier;
  label: string;
  /** Included minutes per billing cycle. */
  minutes: number;
  maxAssistants: number;
  /** Monthly price in cents (0 for the trial). */
  priceCents: number;
  features: Record<Feature, boolean>;
}

/** Overage price for minutes past the plan's included minutes. */
export const OVERAGE_RATE_CENTS_PER_MIN = 30;

/** The lowest tier at which each feature turns on. */
const FEATURE_FROM: Record<Feature, PlanTier> = {
  knowledgeBase: 'STARTER',
  transcripts: 'STARTER',
  overage: 'STARTER',
  recordings: 'ADVANCED',
  analytics: 'ADVANCED',
  editVoice: 'ADVANCED',
  editPrompt: 'ADVANCED',
  regeneratePrompt: 'ADVANCED',
  transferNumber: 'ADVANCED',
  calendar: 'ADVANCED',
  editAssistantName: 'PRO',
  sms: 'PRO',
  a2p: 'PRO',
  embedWidget: 'PRO',
  outbound: 'ENTERPRISE',
  browserCalling: 'ENTERPRISE',
};

const BASE: Record<PlanTier, Omit<Plan, 'tier' | 'features'>> = {
  FREE: { label: 'Free trial', minutes: 30, maxAssistants: 1, priceCents: 0 },
  STARTER: { label: 'Starter', minutes: 200, maxAssistants: 1, priceCents: 4900 },
  ADVANCED: { label: 'Advanced', minutes: 350, maxAssistants: 2, priceCents: 9900 },
  PRO: { label: 'Pro', minutes: 500, maxAssistants: 3, priceCents: 19900 },
  ENTERPRISE: { label: 'Enterprise', minutes: 2000, maxAssistants: 10, priceCents: 49900 },
};

export const tierRank = (tier: PlanTier) => PLAN_TIERS.indexOf(tier);

export const PLANS: Record<PlanTier, Plan> = Object.fromEntries(
  PLAN_TIERS.map((tier) => [
    tier,
    {
      tier,
      ...BASE[tier],
      features: Object.fromEntries(
        FEATURES.map((f) => [f, tierRank(tier) >= tierRank(FEATURE_FROM[f])]),
      ) as Record<Feature, boolean>,
    },
  ]),
) as Record<PlanTier, Plan>;

/** New organizations start here. */
export const DEFAULT_TIER: PlanTier = 'FREE';

export const hasFeature = (tier: PlanTier, feature: Feature) => PLANS[tier].features[feature];

/** The tier a user must reach to use a feature, for error messages and upsell. */
export const minimumTierFor = (feature: Feature): PlanTier => FEATURE_FROM[feature];

/** The lowest tier that allows more than `count` assistants (the last tier when none does). */
export const tierForAssistants = (count: number): PlanTier =>
  PLAN_TIERS.find((tier) => PLANS[tier].maxAssistants > count) ?? PLAN_TIERS[PLAN_TIERS.length - 1]!;

/** A plan gate's `details` in a 403: the tier that unlocks it, so a client names it without guessing. */
export const planGateDetails = (plan: PlanTier, feature?: Feature) => ({ plan, ...(feature && { feature }) });

export const isUpgrade = (from: PlanTier, to: PlanTier) => tierRank(to) > tierRank(from);

/** Included minutes for an organization: an admin override wins over the plan's number. */
export const effectiveMinutesLimit = (org: { plan: PlanTier; minutesLimitOverride: number | null }) =>
  org.minutesLimitOverride ?? PLANS[org.plan].minutes;

/** May the organization start another call? Over the limit only with overage on (and a plan that allows it). */
export const canPlaceCalls = (
  org: { plan: PlanTier; minutesLimitOverride: number | null; overageEnabled: boolean },
  usedSeconds: number,
) => usedSeconds < effectiveMinutesLimit(org) * 60 || (org.overageEnabled && hasFeature(org.plan, 'overage'));
