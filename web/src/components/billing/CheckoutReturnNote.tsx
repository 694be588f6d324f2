import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { PLANS } from '../../../../src/domain/plans';
import { useApi } from '../../hooks';
import type { CheckoutResult } from '../../types';
import { ErrorNote } from '../ErrorNote';

/** What a paid Checkout was for, in the customer's words. */
const paidFor = (r: CheckoutResult) =>
  r.purpose === 'a2p-fee' ? 'the SMS registration fee is paid.' : r.tier ? `you are now on the ${PLANS[r.tier].label} plan.` : 'thank you.';

/**
 * Back from Stripe Checkout (`?checkout=success&session_id=…` or `?checkout=cancelled`): says
 * what the Checkout actually came to, as the server read it from Stripe, never what the URL claims.
 */
export function CheckoutReturnNote() {
  const [params] = useSearchParams();
  const checkout = params.get('checkout');
  const sessionId = params.get('session_id');
  const result = useApi<CheckoutResult>(`/api/stripe/checkout/${encodeURIComponent(sessionId ?? '')}`, { enabled: checkout === 'success' && !!sessionId });
  const queryClient = useQueryClient();
  const outcome = result.data?.outcome;
  useEffect(() => {
    // Reading it applied it on the server: the plan and the registration shown elsewhere may have moved.
    if (outcome) void queryClient.invalidateQueries();
  }, [outcome, queryClient]);

  if (checkout === 'cancelled') return <p className="note note-info">Checkout cancelled: nothing was charged.</p>;
  if (checkout !== 'success' || !sessionId) return null;
  if (result.isError) return <ErrorNote error={result.error} />;
  const r = result.data;
  if (!r) return <p className="note note-info" role="status">Checking your payment…</p>;
  switch (r.outcome) {
    case 'paid':
      return <p className="note note-success" role="status">Payment received: {paidFor(r)}</p>;
    case 'payment_failed':
      return (
        <p className="note note-error" role="alert">
          Your card was saved but the payment was declined{r.tier ? `, so the ${PLANS[r.tier].label} plan has not started` : ''}. Replace the card to pay it.
        </p>
      );
    case 'open':
      return <p className="note note-info" role="status">The checkout was not finished: nothing was charged.</p>;
    case 'expired':
      return <p className="note note-info" role="status">This checkout expired: nothing was charged.</p>;
  }
}
