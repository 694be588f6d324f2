import { FEATURES, isUpgrade, PLAN_TIERS, PLANS, type PlanTier } from '../../../../src/domain/plans';
import { formatCents, formatMinutes } from '../../format';
import { ErrorNote } from '../ErrorNote';
import { CHECKOUT_TIERS, useUpgrade } from '../UpgradeButton';
import { FEATURE_LABELS } from './features';

/** The features a tier adds over the one below it. */
const addedAt = (tier: PlanTier) => {
  const below = PLAN_TIERS[PLAN_TIERS.indexOf(tier) - 1];
  return FEATURES.filter((f) => PLANS[tier].features[f] && !(below && PLANS[below].features[f]));
};

/** Plans side by side; an upgrade goes to Stripe Checkout (or changes the plan in place when already paying). */
export function PlanCards({ current, canManage, hasSubscription, onPortal }: { current: PlanTier; canManage: boolean; hasSubscription: boolean; onPortal: () => void }) {
  const upgrade = useUpgrade();
  return (
    <>
      <div className="plans">
        {CHECKOUT_TIERS.map((tier) => {
          const plan = PLANS[tier];
          const isCurrent = tier === current;
          const pending = upgrade.isPending && upgrade.variables === tier;
          return (
            <article key={tier} className={`plan${isCurrent ? ' plan-current' : ''}`} aria-labelledby={`plan-${tier}`}>
              <header>
                <h3 id={`plan-${tier}`}>{plan.label}</h3>
                {isCurrent && <span className="badge status-completed">Current plan</span>}
              </header>
              <p className="plan-price">
                {formatCents(plan.priceCents)} <span className="muted small">/ month</span>
              </p>
              <p className="muted small">
                {formatMinutes(plan.minutes)} minutes a month · up to {plan.maxAssistants} assistant{plan.maxAssistants === 1 ? '' : 's'}
              </p>
              <ul className="plan-features">
                {tier !== 'STARTER' && <li className="muted">Everything in {PLANS[PLAN_TIERS[PLAN_TIERS.indexOf(tier) - 1]!].label}, plus:</li>}
                {addedAt(tier).map((f) => (
                  <li key={f}>{FEATURE_LABELS[f]}</li>
                ))}
              </ul>
              {canManage &&
                !isCurrent &&
                (isUpgrade(current, tier) ? (
                  <button type="button" className="button button-primary" onClick={() => upgrade.mutate(tier)} disabled={upgrade.isPending}>
                    {pending ? 'Opening checkout…' : `Upgrade to ${plan.label}`}
                  </button>
                ) : (
                  hasSubscription && (
                    <button type="button" className="button" onClick={onPortal}>
                      Switch in billing portal
                    </button>
                  )
                ))}
            </article>
          );
        })}
      </div>
      <ErrorNote error={upgrade.error} />
      <p className="muted small">
        Need more than {formatMinutes(PLANS.PRO.minutes)} minutes or {PLANS.PRO.maxAssistants} assistants? {PLANS.ENTERPRISE.label} ({formatMinutes(PLANS.ENTERPRISE.minutes)} minutes, outbound
        and browser calling) is set up with our team.
      </p>
    </>
  );
}
