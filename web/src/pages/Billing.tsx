import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { PLANS, type PlanTier } from '../../../src/domain/plans';
import { isLive } from '../../../src/domain/subscriptions';
import { sessionKey, useSession } from '../auth';
import { CancelCard, STATUS_PATH } from '../components/billing/CancelCard';
import { CheckoutReturnNote } from '../components/billing/CheckoutReturnNote';
import { HISTORY_PATH, OverageCard } from '../components/billing/OverageCard';
import { PlanCards } from '../components/billing/PlanCards';
import { usePortal } from '../components/billing/usePortal';
import { Card } from '../components/Card';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { UsageChart } from '../components/UsageChart';
import { formatMinutes, formatShortDate, humanize } from '../format';
import { USAGE_PATH, useApi, useIsManager, useTitle } from '../hooks';
import type { BillingHistory, SubscriptionStatus, Usage } from '../types';

/** A plan change in place (no Checkout) sent back in the URL. */
function UpgradedNote() {
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const upgraded = params.get('upgraded') as PlanTier | null;
  useEffect(() => {
    // The plan changed behind the page's back: everything that shows it reloads.
    if (upgraded) void queryClient.invalidateQueries();
  }, [upgraded, queryClient]);
  if (upgraded && PLANS[upgraded]) return <p className="note note-success" role="status">You are now on the {PLANS[upgraded].label} plan.</p>;
  return null;
}

export function Billing() {
  useTitle('Billing');
  const manager = useIsManager();
  const queryClient = useQueryClient();
  const status = useApi<SubscriptionStatus>(STATUS_PATH);
  const usage = useApi<Usage>(USAGE_PATH);
  const history = useApi<BillingHistory>(HISTORY_PATH);
  const portal = usePortal();
  // The session carries the plan shown in the sidebar; keep it in step with the status.
  const sessionPlan = useSession().data?.user?.plan;
  const plan = status.data?.plan;
  useEffect(() => {
    if (plan && sessionPlan && plan !== sessionPlan) void queryClient.invalidateQueries({ queryKey: sessionKey });
  }, [plan, sessionPlan, queryClient]);

  if (status.isPending) return <Loading />;
  if (status.isError) return <ErrorNote error={status.error} />;
  const s = status.data;
  const live = isLive(s.status);
  const hasSubscription = !!s.stripeSubscriptionId && s.standing !== 'ended';

  return (
    <>
      <header className="page-header">
        <h1>Billing</h1>
        <p className="muted">Your plan, minutes and charges.</p>
      </header>
      <CheckoutReturnNote />
      <UpgradedNote />

      <Card
        id="plan"
        title={`${PLANS[s.plan].label} plan`}
        description={
          live && s.currentPeriodEnd
            ? `${s.cancelledAt ? 'Ends' : 'Renews'} on ${formatShortDate(s.currentPeriodEnd)}.`
            : s.plan === 'FREE'
              ? `The free trial includes ${formatMinutes(PLANS.FREE.minutes)} minutes. Upgrade to keep your receptionist answering.`
              : undefined
        }
        aside={
          <div className="card-actions">
            {s.status !== 'none' && <span className={`badge ${s.standing === 'paying' ? 'status-completed' : s.standing === 'ended' ? '' : 'status-failed'}`}>{humanize(s.status)}</span>}
            {manager && hasSubscription && (
              <button type="button" className="button" onClick={() => portal.mutate()} disabled={portal.isPending}>
                {portal.isPending ? 'Opening…' : 'Invoices & payment method'}
              </button>
            )}
          </div>
        }
      >
        <ErrorNote error={portal.error} />
        {usage.data && (
          <div className="usage-line" data-testid="billing-minutes">
            <span>
              <strong>{formatMinutes(usage.data.snapshot.minutesUsed)}</strong> of {formatMinutes(usage.data.snapshot.minutesLimit)} minutes used this cycle
            </span>
            <div className={`meter${usage.data.snapshot.percentUsed >= 90 ? ' meter-high' : ''}`} role="meter" aria-label="Minutes used this cycle" aria-valuemin={0} aria-valuemax={usage.data.snapshot.minutesLimit} aria-valuenow={usage.data.snapshot.minutesUsed}>
              <span style={{ width: `${Math.min(usage.data.snapshot.percentUsed, 100)}%` }} />
            </div>
          </div>
        )}
        {usage.data && <UsageChart usage={usage.data} />}
        <ErrorNote error={usage.error} />
      </Card>

      <Card id="plans" title="Plans" description={manager ? 'An upgrade opens a secure Stripe checkout, or changes your current subscription right away.' : 'An owner or admin can change the plan.'}>
        <PlanCards current={s.plan} canManage={manager} hasSubscription={hasSubscription} onPortal={() => portal.mutate()} />
      </Card>

      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <ErrorNote error={history.error} />
      ) : (
        <OverageCard history={history.data} allowed={PLANS[s.plan].features.overage} canManage={manager} />
      )}

      {manager && live && s.plan !== 'FREE' && <CancelCard status={s} />}
    </>
  );
}
