import { PLAN_TIERS, type PlanTier } from '../../../src/domain/plans';
import { ApiError, messageOf } from '../api';
import { UpgradeButton } from './UpgradeButton';

/** The plan a 403 plan gate names in `details.plan` (the server's plan table decides it). */
const gatePlanOf = (error: unknown): PlanTier | undefined => {
  if (!(error instanceof ApiError) || error.code !== 'PLAN_REQUIRED') return undefined;
  const plan = (error.details as { plan?: unknown } | undefined)?.plan;
  return PLAN_TIERS.find((tier) => tier === plan);
};

/** An API error as a person reads it; a plan gate reads as an upgrade hint with the upgrade, not a failure. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const planGate = error instanceof ApiError && error.code === 'PLAN_REQUIRED';
  const plan = gatePlanOf(error);
  if (plan) {
    return (
      <div className="note note-upgrade upgrade-note" role="alert">
        <p>
          <strong>Upgrade needed. </strong>
          {messageOf(error)}
        </p>
        <UpgradeButton tier={plan} />
      </div>
    );
  }
  return (
    <p className={planGate ? 'note note-upgrade' : 'note note-error'} role="alert">
      {planGate && <strong>Upgrade needed. </strong>}
      {messageOf(error)}
    </p>
  );
}
