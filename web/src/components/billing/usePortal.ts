import { useMutation } from '@tanstack/react-query';
import { api } from '../../api';

/** Opens the Stripe billing portal (card, invoices, plan), which links back to `returnPath`. */
export function usePortal(returnPath = '/dashboard/billing') {
  return useMutation({
    mutationFn: () => api<{ url: string }>('/api/stripe/portal', { method: 'POST', body: { returnPath } }),
    onSuccess: ({ url }) => window.location.assign(url),
  });
}
