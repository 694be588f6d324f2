import { minimumTierFor, PLANS, type Feature } from '../../../src/domain/plans';

/** Says which plan unlocks a setting the current plan can only read (the server's plan table decides). */
export function PlanNote({ feature }: { feature: Feature }) {
  return <span className="badge badge-plan">{PLANS[minimumTierFor(feature)].label} plan</span>;
}
