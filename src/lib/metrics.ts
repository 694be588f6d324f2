import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';

/** Seconds; from 5 ms (a cached health answer) to 10 s (a provider's timeout). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Jobs run from milliseconds to minutes. */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300];

export type WebhookOutcome = 'applied' | 'duplicate' | 'refused' | 'failed';

/**
 * Every series the process exports, in its own registry (one per app, so tests that build
 * many apps never collide). Labels take bounded values only: route patterns, provider and job
 * names, outcomes; never a URL, an id or an error message. The process series (CPU, memory,
 * event-loop lag, GC) are collected only when metrics can be read: their GC observer and
 * event-loop histogram run all the time once started.
 */
export function createMetrics({ processSeries }: { processSeries: boolean }) {
  const registry = new Registry();
  if (processSeries) collectDefaultMetrics({ register: registry });
  const m = {
    registry,
    /** Per request: record(route pattern, method, status code, seconds). */
    http: httpSeries(registry),
    webhooks: new Counter({ name: 'webhooks_received_total', help: 'Incoming provider webhooks, by provider and outcome (applied, duplicate, refused, failed)', labelNames: ['provider', 'outcome'], registers: [registry] }),
    providerCalls: new Counter({ name: 'provider_calls_total', help: 'Calls to outside services, by service, operation and outcome (ok, error)', labelNames: ['service', 'operation', 'outcome'], registers: [registry] }),
    providerDuration: new Histogram({ name: 'provider_call_duration_seconds', help: 'Time a call to an outside service took, retries included', labelNames: ['service', 'operation', 'outcome'], buckets: LATENCY_BUCKETS, registers: [registry] }),
    jobRuns: new Counter({ name: 'job_runs_total', help: 'Job runs executed by this process, by job and outcome (ok, failed)', labelNames: ['job', 'outcome'], registers: [registry] }),
    jobDuration: new Histogram({ name: 'job_run_duration_seconds', help: 'Time a job run took', labelNames: ['job'], buckets: JOB_BUCKETS, registers: [registry] }),
    notifications: new Counter({ name: 'notifications_total', help: 'Notifications to people (email, sms), by channel and outcome (sent, failed)', labelNames: ['channel', 'outcome'], registers: [registry] }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;

const STATUS_CLASSES = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

/**
 * HTTP requests and their duration histogram, kept as plain numbers per (route, method,
 * status class) and turned into Prometheus series when scraped. prom-client's own counter and
 * histogram hash their label object on every call, which cost /api/health ~14% of its
 * throughput; this costs one Map lookup and a few additions per request.
 */
function httpSeries(registry: Registry) {
  interface Entry {
    labels: { route: string; method: string; status_class: string };
    count: number;
    sum: number;
    /** Per bucket, not cumulative (summed when scraped). */
    buckets: number[];
  }
  const entries = new Map<string, Entry>();
  const custom = (name: string, help: string, type: 'counter' | 'histogram', values: () => object[]) =>
    registry.registerMetric({ name, help, type, get: async () => ({ name, help, type, values: values(), aggregator: 'sum' }) } as unknown as Metric);
  const requestsHelp = 'HTTP requests answered, by route pattern, method and status class';
  custom('http_requests_total', requestsHelp, 'counter', () => [...entries.values()].map((e) => ({ labels: e.labels, value: e.count })));
  custom('http_request_duration_seconds', 'Time to answer an HTTP request', 'histogram', () =>
    [...entries.values()].flatMap((e) => {
      let cumulative = 0;
      return [
        ...LATENCY_BUCKETS.map((le, i) => ({ metricName: 'http_request_duration_seconds_bucket', labels: { ...e.labels, le }, value: (cumulative += e.buckets[i]!) })),
        { metricName: 'http_request_duration_seconds_bucket', labels: { ...e.labels, le: '+Inf' }, value: e.count },
        { metricName: 'http_request_duration_seconds_sum', labels: e.labels, value: e.sum },
        { metricName: 'http_request_duration_seconds_count', labels: e.labels, value: e.count },
      ];
    }),
  );
  return function record(route: string, method: string, status: number, seconds: number) {
    const statusClass = STATUS_CLASSES[Math.floor(status / 100)] ?? 'other';
    const key = `${route} ${method} ${statusClass}`;
    let e = entries.get(key);
    if (!e) entries.set(key, (e = { labels: { route, method, status_class: statusClass }, count: 0, sum: 0, buckets: LATENCY_BUCKETS.map(() => 0) }));
    e.count++;
    e.sum += seconds;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]!) {
        e.buckets[i]!++;
        break;
      }
    }
  };
}

/** Gauges read when scraped (one query or a pool's counters), not kept up to date on every change. */
export function addScrapeGauges(
  metrics: Metrics,
  read: {
    deliveryQueue: () => Promise<{ depth: number; oldestSeconds: number }>;
    pools?: () => Record<string, { total: number; idle: number; waiting: number }>;
  },
) {
  const registers = [metrics.registry];
  let queue: Promise<{ depth: number; oldestSeconds: number }> | undefined;
  // Both queue gauges come from one query per scrape.
  const queueOnce = () => (queue ??= read.deliveryQueue().finally(() => setImmediate(() => (queue = undefined))));
  new Gauge({
    name: 'webhook_delivery_queue_depth',
    help: 'Outgoing webhook deliveries waiting to be sent',
    registers,
    async collect() {
      this.set((await queueOnce()).depth);
    },
  });
  new Gauge({
    name: 'webhook_delivery_queue_oldest_seconds',
    help: 'Age of the oldest outgoing webhook delivery still waiting (0 when none)',
    registers,
    async collect() {
      this.set((await queueOnce()).oldestSeconds);
    },
  });
  const pools = read.pools;
  if (!pools) return;
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database connections by pool (queries, locks) and state (in_use, idle)',
    labelNames: ['pool', 'state'],
    registers,
    collect() {
      for (const [pool, s] of Object.entries(pools())) {
        this.set({ pool, state: 'in_use' }, s.total - s.idle);
        this.set({ pool, state: 'idle' }, s.idle);
      }
    },
  });
  new Gauge({
    name: 'db_pool_waiting',
    help: 'Callers waiting for a database connection, by pool',
    labelNames: ['pool'],
    registers,
    collect() {
      for (const [pool, s] of Object.entries(pools())) this.set({ pool }, s.waiting);
    },
  });
}

/** Wraps every method of a provider port so each call counts under (service, method name). */
export function instrumentProvider<T extends object>(metrics: Metrics, service: string, provider: T): T {
  return new Proxy(provider, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return (...args: unknown[]) => {
        const started = performance.now();
        const done = (outcome: 'ok' | 'error') => {
          const labels = { service, operation: name, outcome };
          metrics.providerCalls.inc(labels);
          metrics.providerDuration.observe(labels, (performance.now() - started) / 1000);
        };
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          done('error');
          throw err;
        }
        if (!(result instanceof Promise)) {
          done('ok');
          return result;
        }
        return result.then(
          (v) => (done('ok'), v),
          (err) => {
            done('error');
            throw err;
          },
        );
      };
    },
  });
}
