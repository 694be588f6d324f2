import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from './errors.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000, timeoutMs: 10_000 };

/** Delay before the next attempt: Retry-After when the server gave one, else exponential with jitter. */
export function retryDelayMs(attempt: number, policy: RetryPolicy, retryAfter?: string | null): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, policy.maxDelayMs);
  const exp = policy.baseDelayMs * 2 ** attempt;
  return Math.min(exp / 2 + Math.random() * (exp / 2), policy.maxDelayMs);
}

const retryable = (status: number) => status === 429 || status >= 500;

/**
 * fetch for the providers that have no SDK of ours (Cal.com, ElevenLabs): times out,
 * retries 429 (honoring Retry-After) and 5xx with backoff, throws ProviderError on failure.
 * Callers must only retry requests that are safe to repeat (GETs or idempotent writes).
 */
export async function fetchJson<T>(
  service: string,
  url: string,
  init: RequestInit = {},
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  let lastError: ProviderError | undefined;
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(policy.timeoutMs) });
    } catch (err) {
      lastError = new ProviderError(service, undefined, `request failed: ${(err as Error).message}`, { cause: err });
      await sleep(retryDelayMs(attempt, policy));
      continue;
    }
    if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
    const text = await res.text().catch(() => '');
    lastError = new ProviderError(service, res.status, `HTTP ${res.status} ${text.slice(0, 300)}`);
    if (!retryable(res.status) || attempt === policy.attempts - 1) break;
    await sleep(retryDelayMs(attempt, policy, res.headers.get('retry-after')));
  }
  throw lastError!;
}
