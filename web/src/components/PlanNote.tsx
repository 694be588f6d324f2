import type { ReactNode } from 'react';
import { minimumTierFor, PLANS, type Feature } from '../../../src/domain/plans';
import { UpgradeButton } from './UpgradeButton';

/** Says which plan unlocks a setting the current plan can only read (the server's plan table decides). */
export function PlanNote({ feature }: { feature: Feature }) {
  return <span className="badge badge-plan">{PLANS[minimumTierFor(feature)].label} plan</span>;
}

/** A card's title-row gate: the plan that unlocks the feature and the one-click upgrade to it. */
export function PlanGate({ feature }: { feature: Feature }) {
  return (
    <span className="plan-gate">
      <PlanNote feature={feature} />
      <UpgradeButton tier={minimumTierFor(feature)} small />
    </span>
  );
}

/** "Upgrade needed": what the plan lacks (children), which plan has it, and the upgrade. */
export function UpgradeNote({ feature, children }: { feature: Feature; children: ReactNode }) {
  return (
    <div className="note note-upgrade upgrade-note">
      <p>
        <strong>Upgrade needed. </strong>
        {children}
      </p>
      <UpgradeButton tier={minimumTierFor(feature)} />
    </div>
  );
}
