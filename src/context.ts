import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';
import type { Mailer } from './providers/mail/port.js';
import type { Providers } from './providers/index.js';
import type { SafeFetchOptions, SafeFetchResult } from './lib/safe-fetch.js';
import type { WebhookTransport } from './modules/webhook-endpoints/transport.js';
import type { Metrics } from './lib/metrics.js';

/** What services need from the outside world, passed explicitly (no Fastify types). */
export interface AppContext {
  config: Config;
  db: Db;
  /** Cross-instance mutual exclusion (Postgres advisory lock; in-process on PGlite). */
  withLock: Database['withLock'];
  /** Once-only flows (onboarding completion, provisioning, checkout…): one at a time per organization. */
  withOrgLock: Database['withOrgLock'];
  /** Exact in-memory answers for hot reads on PGlite (cleared by every write); a plain read on Postgres. */
  memoRead: Database['memoRead'];
  mailer: Mailer;
  providers: Providers;
  /** Fetches a business's web page through the SSRF guard (tests may allow loopback, explicitly). */
  fetchHtml: (url: string, conditional?: Pick<SafeFetchOptions, 'ifNoneMatch' | 'ifModifiedSince'>) => Promise<SafeFetchResult>;
  /** Outgoing webhooks' SSRF guard and POST (tests may allow loopback, explicitly). */
  webhookTransport: WebhookTransport;
  /** Injected so tests can move time (token expiry, sliding sessions). */
  now: () => Date;
  log: FastifyBaseLogger;
  /** Prometheus series (src/lib/metrics.ts); exported only when metrics are on. */
  metrics: Metrics;
  /**
   * draining: set at SIGTERM; /api/ready answers 503 so load balancers stop sending, requests
   * are still served. closing: the drain window is over; responses close their connection and
   * background loops stop taking new work.
   */
  lifecycle: { draining: boolean; closing: boolean };
}
