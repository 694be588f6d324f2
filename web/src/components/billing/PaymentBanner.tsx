import { useLocation } from 'react-router';
import { PLANS } from '../../../../src/domain/plans';
import { needsPayment } from '../../../../src/domain/subscriptions';
import { formatShortDate } from '../../format';
import { useApi, useIsManager } from '../../hooks';
import type { SubscriptionStatus } from '../../types';
import { ErrorNote } from '../ErrorNote';
import { STATUS_PATH } from './CancelCard';
import { usePortal } from './usePortal';

/**
 * On every dashboard page while a subscription payment is due: what it means for the plan
 * (the server's standing, src/domain/subscriptions.ts) and, for owners and admins, the way out.
 */
export function PaymentBanner() {
  const status = useApi<SubscriptionStatus>(STATUS_PATH);
  const manager = useIsManager();
  const portal = usePortal(useLocation().pathname);
  const s = status.data;
  if (!s || !needsPayment(s.standing)) return null;
  const plan = s.tier ? PLANS[s.tier].label : 'paid';
  const meaning =
    s.standing === 'grace'
      ? `You keep the ${plan} plan until ${s.graceEndsAt ? formatShortDate(s.graceEndsAt) : 'the retries end'} while the card is tried again.`
      : s.standing === 'overdue'
        ? `The payment is overdue: you are on the free plan until it goes through.`
        : `The first payment for the ${plan} plan was declined, so the plan has not started.`;

  return (
    <section className="payment-banner" aria-labelledby="payment-banner-title">
      <p>
        <strong id="payment-banner-title">Your last payment failed.</strong> {meaning}
      </p>
      {manager ? (
        <button type="button" className="button button-primary button-small" onClick={() => portal.mutate()} disabled={portal.isPending}>
          {portal.isPending ? 'Opening…' : 'Update card'}
        </button>
      ) : (
        <p className="muted small">An owner or admin of your organization can update the card.</p>
      )}
      <ErrorNote error={portal.error} />
    </section>
  );
}
