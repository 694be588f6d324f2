import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { PLANS } from '../../../../src/domain/plans';
import { api } from '../../api';
import { formatDateTime } from '../../format';
import { useInvalidate } from '../../hooks';
import type { Cancellation, SubscriptionStatus } from '../../types';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';

export const STATUS_PATH = '/api/subscription/status';

const formatDate = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: 'long' }) : 'the end of the period');

/** Cancel at period end, behind an explicit acknowledgement; or undo a pending cancellation. */
export function CancelCard({ status }: { status: SubscriptionStatus }) {
  const invalidate = useInvalidate();
  const ackId = useId();
  const [acknowledged, setAcknowledged] = useState(false);
  const cancel = useMutation({
    mutationFn: () => api<Cancellation>('/api/subscription/cancel', { method: 'POST', body: { acknowledged: true } }),
    onSuccess: () => invalidate(STATUS_PATH),
  });
  const reactivate = useMutation({
    mutationFn: () => api('/api/subscription/reactivate', { method: 'POST', body: {} }),
    onSuccess: () => invalidate(STATUS_PATH),
  });
  const pendingEnd = status.cancelledAt && status.effectiveAt && new Date(status.effectiveAt).getTime() > Date.now();

  if (pendingEnd) {
    return (
      <Card id="cancel" title="Cancellation scheduled">
        <p className="note note-upgrade">
          Your {PLANS[status.plan].label} plan ends on <strong>{formatDate(status.effectiveAt)}</strong>. Your data is deleted on {formatDate(status.deletionAt)}.
        </p>
        <div className="save-bar">
          <button type="button" className="button button-primary" onClick={() => reactivate.mutate()} disabled={reactivate.isPending}>
            {reactivate.isPending ? 'Reactivating…' : 'Keep my plan'}
          </button>
        </div>
        <ErrorNote error={reactivate.error} />
      </Card>
    );
  }

  return (
    <Card id="cancel" title="Cancel your plan" description="Your assistant keeps answering until the end of the period you paid for.">
      <label className="ack" htmlFor={ackId}>
        <input id={ackId} type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} />
        <span>
          I understand my {PLANS[status.plan].label} plan ends on {formatDate(status.currentPeriodEnd)}, my phone number stops answering, and my data is deleted 7 days
          after.
        </span>
      </label>
      <div className="save-bar">
        <button type="button" className="button button-danger-solid" onClick={() => cancel.mutate()} disabled={!acknowledged || cancel.isPending}>
          {cancel.isPending ? 'Cancelling…' : 'Cancel my plan'}
        </button>
      </div>
      {cancel.data && (
        <p className="note note-success" role="status">
          Cancelled. The plan ends {formatDateTime(cancel.data.effectiveAt)}.
        </p>
      )}
      <ErrorNote error={cancel.error} />
    </Card>
  );
}
