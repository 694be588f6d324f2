import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './api';
import { useSession } from './auth';

/** A GET whose query key is its path, so a save can invalidate it by path. */
export const useApi = <T,>(path: string, options: { enabled?: boolean; refetchInterval?: number | false } = {}) =>
  useQuery({ queryKey: [path], queryFn: ({ signal }) => api<T>(path, { signal }), ...options });

/**
 * A settings save: sends the body, then refetches its own GET and the paths in `affects`
 * (a settings change rewrites a prompt section, so the prompt and its versions move too).
 */
export function useSave<Body, Result = unknown>(path: string, method: 'PUT' | 'POST' | 'DELETE' = 'PUT', affects: string[] = []) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Body) => api<Result>(path, { method, body }),
    onSuccess: () => Promise.all([path, ...affects].map((p) => queryClient.invalidateQueries({ queryKey: [p] }))),
  });
}

/** Home's usage query; a billing cycle is at most 31 days, so one request covers it. */
export const USAGE_PATH = '/api/usage?days=31';

/** Paths whose content changes when any assistant setting is saved. */
export const PROMPT_PATHS = ['/api/prompt', '/api/prompt/versions'];

export function useTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Epoch Voice`;
  }, [title]);
}

/** Refetches the GETs at these paths (their query key is the path). */
export function useInvalidate() {
  const queryClient = useQueryClient();
  return (...paths: string[]) => Promise.all(paths.map((p) => queryClient.invalidateQueries({ queryKey: [p] })));
}

/** Owners and admins manage the organization (numbers, members, registrations); members only use it. */
export function useIsManager() {
  const role = useSession().data?.user?.role;
  return role === 'owner' || role === 'admin';
}

/** The server marks its sandbox pages (src/plugins/web.ts), so the banner is known at first paint. */
const markedSandbox = document.querySelector('meta[name="ev-sandbox"]') ? { sandbox: true as const } : undefined;

/**
 * Whether the server runs in sandbox mode: the page says so, or (the Vite dev server serves
 * an unmarked page) GET /api/sandbox, which exists only there (404 elsewhere), asked once per visit.
 */
export const useIsSandbox = () =>
  useQuery({
    queryKey: ['/api/sandbox'],
    queryFn: ({ signal }) => api<{ sandbox: true }>('/api/sandbox', { signal }),
    staleTime: Infinity,
    initialData: markedSandbox,
  }).data?.sandbox === true;
