import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api } from './api';
import type { Session } from './types';

export const sessionKey = ['session'] as const;

/** Who is signed in: `data.user` is undefined when nobody is. */
export const useSession = () => useQuery({ queryKey: sessionKey, queryFn: () => api<Session>('/api/auth/session'), staleTime: 60_000 });

/** The NextAuth credentials flow: a CSRF token first, then the form as JSON. Returns the path to go to. */
export async function signIn(email: string, password: string, callbackUrl = '/dashboard'): Promise<string> {
  const { csrfToken } = await api<{ csrfToken: string }>('/api/auth/csrf');
  const { url } = await api<{ url: string }>('/api/auth/callback/credentials', {
    method: 'POST',
    body: { csrfToken, email, password, callbackUrl, json: true },
  });
  const target = new URL(url, window.location.origin);
  return target.pathname + target.search;
}

export async function signOut(queryClient: QueryClient) {
  await api('/api/auth/signout', { method: 'POST' });
  queryClient.clear();
  queryClient.setQueryData(sessionKey, {});
}

/** Only same-site paths are followed after login, never another origin. */
export const safePath = (path: string | null) => (path && path.startsWith('/') && !path.startsWith('//') ? path : '/dashboard');
