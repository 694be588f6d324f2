import { describe, expect, it } from 'vitest';
import {
  canPlaceCalls,
  DEFAULT_TIER,
  effectiveMinutesLimit,
  FEATURES,
  hasFeature,
  isUpgrade,
  minimumTierFor,
  planGateDetails,
  OVERAGE_RATE_CENTS_PER_MIN,
  PLAN_TIERS,
  PLANS,
  tierForAssistants,
  tierRank,
  type Feature,
  type PlanTier,
} from '../../src/domain/plans.js';

/** The gates, written out tier by tier: a change to what a plan sells must change this table too. */
const INCLUDED: Record<PlanTier, Feature[]> = {
  FREE: [],
  STARTER: ['knowledgeBase', 'transcripts', 'overage'],
  ADVANCED: ['knowledgeBase', 'transcripts', 'overage', 'recordings', 'analytics', 'editVoice', 'editPrompt', 'regeneratePrompt', 'transferNumber', 'calendar'],
  PRO: [
    'knowledgeBase', 'transcripts', 'overage', 'recordings', 'analytics', 'editVoice', 'editPrompt', 'regeneratePrompt', 'transferNumber', 'calendar',
    'editAssistantName', 'sms', 'a2p', 'embedWidget',
  ],
  ENTERPRISE: [...FEATURES],
};

describe('the plan table', () => {
  it('sells each tier its minutes, assistants and price', () => {
    expect(PLAN_TIERS).toEqual(['FREE', 'STARTER', 'ADVANCED', 'PRO', 'ENTERPRISE']);
    const rows = PLAN_TIERS.map((tier) => {
      const { label, minutes, maxAssistants, priceCents } = PLANS[tier];
      return [PLANS[tier].tier, label, minutes, maxAssistants, priceCents];
    });
    expect(rows).toEqual([
      ['FREE', 'Free trial', 30, 1, 0],
      ['STARTER', 'Starter', 200, 1, 4900],
      ['ADVANCED', 'Advanced', 350, 2, 9900],
      ['PRO', 'Pro', 500, 3, 19900],
      ['ENTERPRISE', 'Enterprise', 2000, 10, 49900],
    ]);
    expect(OVERAGE_RATE_CENTS_PER_MIN).toBe(30);
    expect(DEFAULT_TIER).toBe('FREE');
  });

  it.each(PLAN_TIERS)('gates %s to exactly its features', (tier) => {
    for (const feature of FEATURES) expect(hasFeature(tier, feature), feature).toBe(INCLUDED[tier].includes(feature));
    expect(Object.keys(PLANS[tier].features).sort()).toEqual([...FEATURES].sort());
  });

  it('names the lowest tier that includes each feature', () => {
    for (const feature of FEATURES) {
      const lowest = PLAN_TIERS.find((tier) => INCLUDED[tier].includes(feature));
      expect(minimumTierFor(feature), feature).toBe(lowest);
    }
  });

  it('orders tiers: an upgrade goes strictly up', () => {
    expect(PLAN_TIERS.map(tierRank)).toEqual([0, 1, 2, 3, 4]);
    expect(isUpgrade('FREE', 'STARTER')).toBe(true);
    expect(isUpgrade('PRO', 'ENTERPRISE')).toBe(true);
    expect(isUpgrade('PRO', 'PRO')).toBe(false);
    expect(isUpgrade('PRO', 'ADVANCED')).toBe(false);
  });

  it('names the lowest tier with room for one more assistant, and the last tier when none has', () => {
    // The assistant limits are 1, 1, 2, 3, 10: holding n, the next needs maxAssistants > n.
    expect([0, 1, 2, 3, 9, 10, 50].map(tierForAssistants)).toEqual(['FREE', 'ADVANCED', 'PRO', 'ENTERPRISE', 'ENTERPRISE', 'ENTERPRISE', 'ENTERPRISE']);
  });

  it("puts the unlocking tier, and the feature when one is gated, in a 403's details", () => {
    expect(planGateDetails('PRO', 'sms')).toEqual({ plan: 'PRO', feature: 'sms' });
    expect(planGateDetails('ADVANCED')).toEqual({ plan: 'ADVANCED' });
  });
});

describe('minutes', () => {
  const org = (plan: PlanTier, o: { override?: number | null; overage?: boolean } = {}) => ({
    plan,
    minutesLimitOverride: o.override ?? null,
    overageEnabled: o.overage ?? false,
  });

  it("takes an admin override over the plan's minutes, including an override of 0", () => {
    expect(effectiveMinutesLimit(org('STARTER'))).toBe(200);
    expect(effectiveMinutesLimit(org('STARTER', { override: 50 }))).toBe(50);
    expect(effectiveMinutesLimit(org('STARTER', { override: 0 }))).toBe(0);
  });

  it('allows calls up to the last second of the limit, then only with overage on a plan that sells it', () => {
    const limit = 200 * 60;
    expect(canPlaceCalls(org('STARTER'), limit - 1)).toBe(true);
    expect(canPlaceCalls(org('STARTER'), limit)).toBe(false);
    expect(canPlaceCalls(org('STARTER', { overage: true }), limit)).toBe(true);
    expect(canPlaceCalls(org('FREE', { overage: true }), 30 * 60)).toBe(false);
    expect(canPlaceCalls(org('FREE', { overage: true }), 30 * 60 - 1)).toBe(true);
    expect(canPlaceCalls(org('PRO', { override: 10 }), 10 * 60)).toBe(false);
  });
});
