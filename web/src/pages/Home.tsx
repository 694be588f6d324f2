import { Link } from 'react-router';
import { PLANS } from '../../../src/domain/plans';
import { useSession } from '../auth';
import { Card } from '../components/Card';
import { CallTable } from '../components/CallTable';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { UsageChart } from '../components/UsageChart';
import { formatMinutes, formatPhone, formatShortDate } from '../format';
import { greetingName } from '../names';
import { USAGE_PATH, useApi, useIsManager, useTitle } from '../hooks';
import type { OnboardingStatus, Usage } from '../types';

export function Home() {
  useTitle('Home');
  const user = useSession().data?.user;
  const usage = useApi<Usage>(USAGE_PATH);
  const manager = useIsManager();
  const onboarding = useApi<OnboardingStatus>('/api/onboarding', { enabled: manager });

  if (usage.isPending) return <Loading />;
  if (usage.isError) return <ErrorNote error={usage.error} />;
  const { snapshot, plan, phoneNumber, assistant, recentCalls, overageEnabled } = usage.data;
  const percent = Math.min(snapshot.percentUsed, 100);

  return (
    <>
      <header className="page-header">
        <h1>Welcome{user ? `, ${greetingName(user.name)}` : ''}</h1>
        <p className="muted">
          Billing cycle {formatShortDate(snapshot.currentCycleStart)} – {formatShortDate(snapshot.currentCycleEnd)}
        </p>
      </header>

      {onboarding.data && !onboarding.data.completed && (
        <div className="note note-info setup-banner">
          <span>
            <strong>Finish setting up.</strong> Your receptionist needs your business details, a voice and a phone number.
          </span>
          <Link to="/onboarding" className="button button-primary button-small">
            Continue setup
          </Link>
        </div>
      )}

      <div className="stats">
        <div className="stat stat-wide" data-testid="minutes-used">
          <span className="stat-label">Minutes used</span>
          <span className="stat-value">
            {formatMinutes(snapshot.minutesUsed)} <span className="stat-unit">/ {formatMinutes(snapshot.minutesLimit)} min</span>
          </span>
          <div
            className={`meter${snapshot.percentUsed >= 90 ? ' meter-high' : ''}`}
            role="meter"
            aria-label="Minutes used this cycle"
            aria-valuemin={0}
            aria-valuemax={snapshot.minutesLimit}
            aria-valuenow={snapshot.minutesUsed}
          >
            <span style={{ width: `${percent}%` }} />
          </div>
          <span className="muted small">
            {snapshot.percentUsed}% used{overageEnabled ? ' · overage on' : ''}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">Plan</span>
          <span className="stat-value">{PLANS[plan].label}</span>
          <span className="muted small">{formatMinutes(PLANS[plan].minutes)} minutes a cycle</span>
        </div>
        <div className="stat">
          <span className="stat-label">Phone number</span>
          <span className="stat-value">{phoneNumber ? formatPhone(phoneNumber) : 'Not yet'}</span>
          <span className="muted small">{phoneNumber ? 'Callers reach your assistant here' : 'Assigned when onboarding finishes'}</span>
        </div>
        <div className="stat">
          <span className="stat-label">Assistant</span>
          <span className="stat-value">{assistant?.name ?? 'Not set up'}</span>
          <Link to="/dashboard/assistant" className="small">
            {assistant ? 'Settings' : 'Set up your assistant'}
          </Link>
        </div>
      </div>

      <Card title="Usage this cycle">
        <UsageChart usage={usage.data} />
      </Card>

      <Card title="Recent calls" aside={recentCalls.length > 0 && <Link to="/dashboard/calls">All calls</Link>}>
        {recentCalls.length ? (
          <CallTable calls={recentCalls} />
        ) : (
          <p className="empty">No calls yet. When someone calls your number, the conversation shows up here.</p>
        )}
      </Card>
    </>
  );
}
