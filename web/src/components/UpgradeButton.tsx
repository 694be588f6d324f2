import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import { PLANS, type PlanTier } from '../../../src/domain/plans';
import { api, messageOf } from '../api';
import { useIsManager } from '../hooks';

/** Tiers sold through Stripe Checkout (the API's CheckoutBody); Enterprise is arranged by hand. */
export const CHECKOUT_TIERS: readonly PlanTier[] = ['STARTER', 'ADVANCED', 'PRO'];

/** Starts the checkout for a tier (POST /api/stripe/checkout) and follows its URL: Stripe's page, or Billing when the plan changed in place. */
export function useUpgrade() {
  return useMutation({
    mutationFn: (planTier: PlanTier) => api<{ url: string }>('/api/stripe/checkout', { method: 'POST', body: { planTier } }),
    onSuccess: ({ url }) => window.location.assign(url),
  });
}

/**
 * The one-click upgrade beside a gated feature: a manager goes straight to the checkout for
 * the tier that unlocks it; Enterprise opens Billing; a member is told who can upgrade.
 */
export function UpgradeButton({ tier, small }: { tier: PlanTier; small?: boolean }) {
  const manager = useIsManager();
  const upgrade = useUpgrade();
  const size = small ? ' button-small' : '';
  if (!CHECKOUT_TIERS.includes(tier)) {
    return (
      <Link to="/dashboard/billing#plans" className={`button${size}`}>
        See the {PLANS[tier].label} plan
      </Link>
    );
  }
  if (!manager) return <span className="muted small">An owner or admin can upgrade to {PLANS[tier].label}.</span>;
  return (
    <span className="upgrade">
      <button type="button" className={`button button-primary${size}`} onClick={() => upgrade.mutate(tier)} disabled={upgrade.isPending}>
        {upgrade.isPending ? 'Opening checkout…' : `Upgrade to ${PLANS[tier].label}`}
      </button>
      {upgrade.isError && (
        <span className="field-error" role="alert">
          {messageOf(upgrade.error)}
        </span>
      )}
    </span>
  );
}
