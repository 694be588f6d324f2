import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase, type Database } from './db/client.js';
import { installErrorHandler } from './errors.js';
import { createMailer } from './providers/mail/live.js';
import { createLoggers, requestIdOf } from './lib/request-log.js';
import { safeFetchHtml } from './lib/safe-fetch.js';
import { responseSerializerCompiler } from './lib/response-serializer.js';
import { createWebhookTransport } from './modules/webhook-endpoints/transport.js';
import authPlugin from './plugins/auth.js';
import rateLimitPlugin from './plugins/rate-limit.js';
import openapiPlugin from './plugins/openapi.js';
import textSafetyPlugin from './plugins/text-safety.js';
import webPlugin from './plugins/web.js';
import metricsPlugin, { METHODS, metricsOn } from './plugins/metrics.js';
import { addScrapeGauges, createMetrics, instrumentProvider } from './lib/metrics.js';
import { deliveryQueue } from './modules/webhook-endpoints/queue.js';
import healthRoutes from './modules/health/health.routes.js';
import authRoutes from './modules/auth/auth.routes.js';
import nextAuthRoutes from './modules/auth/nextauth.routes.js';
import accountRoutes from './modules/auth/account.routes.js';
import adminRoutes from './modules/admin/admin.routes.js';
import assistantsRoutes from './modules/assistants/assistants.routes.js';
import promptRoutes from './modules/assistants/prompt.routes.js';
import businessRoutes from './modules/assistants/business.routes.js';
import callsRoutes from './modules/calls/calls.routes.js';
import cronRoutes from './modules/cron/cron.routes.js';
import followUpsRoutes from './modules/follow-ups/follow-ups.routes.js';
import notificationsRoutes from './modules/notifications/notifications.routes.js';
import billingRoutes from './modules/billing/billing.routes.js';
import apiKeysRoutes from './modules/api-keys/api-keys.routes.js';
import membersRoutes from './modules/members/members.routes.js';
import knowledgeRoutes from './modules/knowledge/knowledge.routes.js';
import kbUploadRoutes from './modules/knowledge/upload.routes.js';
import phoneRoutes from './modules/phone/phone.routes.js';
import onboardingRoutes from './modules/onboarding/onboarding.routes.js';
import calendarRoutes from './modules/calendar/calendar.routes.js';
import smsRoutes from './modules/sms/sms.routes.js';
import missedCallTextRoutes from './modules/missed-call-text/missed-call-text.routes.js';
import privacyRoutes from './modules/privacy/privacy.routes.js';
import a2pRoutes from './modules/a2p/a2p.routes.js';
import widgetRoutes from './modules/widget/widget.routes.js';
import webhookEndpointsRoutes from './modules/webhook-endpoints/webhook-endpoints.routes.js';
import analyticsRoutes from './modules/analytics/analytics.routes.js';
import insightsRoutes from './modules/insights/insights.routes.js';
import sandboxToolsRoutes from './modules/sandbox-tools/sandbox-tools.routes.js';
import { registerSandbox } from './sandbox/index.js';
import { readSampleSite } from './sandbox/sample-site/index.js';
import { registerWebhooks } from './modules/webhooks/index.js';
import { createProviders, type Providers } from './providers/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

export interface AppOverrides {
  /** An open, migrated database (tests); otherwise opened from config and migrated. */
  database?: Database;
  now?: () => Date;
  logger?: boolean;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
  /** Replace individual provider clients (rarely needed: tests use the emulators). */
  providers?: Partial<Providers>;
  /** Test-only: lets the website fetcher reach loopback fixture servers. Never set in production code. */
  allowLoopbackFetchForTests?: boolean;
}

/** The whole product as one Fastify instance; main.ts only listens. Tests call this. */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const loggers = overrides.logger === false ? undefined : createLoggers(config.logLevel, overrides.logStream);
  const app = Fastify({
    ...(loggers ? { loggerInstance: loggers.logger, logController: loggers.accessLog, childLoggerFactory: loggers.childLoggerFactory } : { logger: false }),
    genReqId: requestIdOf,
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  const metricsEnabled = metricsOn(config);
  const metrics = createMetrics({ processSeries: metricsEnabled });
  // Requests no route matched (scanners, typos): one label, never their URL; only when metrics are on.
  installErrorHandler(app, {
    onNotFound: metricsEnabled ? (method, ms) => metrics.http('unmatched', METHODS.has(method) ? method : 'OTHER', 404, ms / 1000) : undefined,
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    // Past the drain window: no keep-alive, so the server can close once in-flight requests end.
    if (app.ctx.lifecycle.closing) reply.header('connection', 'close');
    done(null, payload);
  });

  let database = overrides.database;
  if (!database) {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pglite` });
    await database.migrate();
    const owned = database;
    app.addHook('onClose', () => owned.close());
  }
  addScrapeGauges(metrics, { deliveryQueue: () => deliveryQueue(database.db), pools: database.poolStats });
  const providers: Providers = { ...createProviders(config, app.log), ...overrides.providers };
  // Sandbox only: our own origins (APP_URL, and how this process reaches itself), for the built-in webhook receiver and sample website.
  const ownOrigins = config.sandbox ? [new URL(config.appUrl).origin, new URL(config.internalUrl).origin] : [];
  const ctx: AppContext = {
    config,
    db: database.db,
    withLock: database.withLock,
    withOrgLock: database.withOrgLock,
    memoRead: database.memoRead,
    now: overrides.now ?? (() => new Date()),
    log: app.log,
    providers: Object.fromEntries(Object.entries(providers).map(([service, p]) => [service, instrumentProvider(metrics, service, p)])) as unknown as Providers,
    metrics,
    lifecycle: { draining: false, closing: false },
    fetchHtml: async (url, conditional) =>
      readSampleSite(url, ownOrigins) ?? safeFetchHtml(url, { ...conditional, allowLoopback: overrides.allowLoopbackFetchForTests === true }),
    webhookTransport: createWebhookTransport({
      allowLoopback: overrides.allowLoopbackFetchForTests === true,
      sandboxReceiver: config.sandbox ? { origins: ownOrigins, self: config.internalUrl } : undefined,
    }),
    mailer: createMailer({ db: database.db, from: config.mailFrom, smtpUrl: config.sandbox ? undefined : config.smtpUrl, log: app.log }),
  };
  app.decorate('ctx', ctx);

  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(metricsPlugin);
  await app.register(textSafetyPlugin);
  await app.register(rateLimitPlugin);
  await app.register(authPlugin);
  await app.register(openapiPlugin);
  await app.register(webPlugin, { sandbox: config.sandbox });

  await app.register(healthRoutes, { accessLog: loggers?.accessLog });
  await app.register(authRoutes);
  await app.register(nextAuthRoutes);
  await app.register(accountRoutes);
  await app.register(adminRoutes);
  await app.register(assistantsRoutes);
  await app.register(promptRoutes);
  await app.register(businessRoutes);
  await app.register(callsRoutes);
  await app.register(cronRoutes);
  await app.register(billingRoutes);
  await app.register(apiKeysRoutes);
  await app.register(membersRoutes);
  await app.register(knowledgeRoutes);
  await app.register(kbUploadRoutes);
  await app.register(phoneRoutes);
  await app.register(onboardingRoutes);
  await app.register(calendarRoutes);
  await app.register(smsRoutes);
  await app.register(missedCallTextRoutes);
  await app.register(privacyRoutes);
  await app.register(a2pRoutes);
  await app.register(widgetRoutes);
  await app.register(webhookEndpointsRoutes);
  await app.register(analyticsRoutes);
  await app.register(insightsRoutes);
  await app.register(followUpsRoutes);
  await app.register(notificationsRoutes);
  await registerWebhooks(app);
  if (config.sandbox) {
    await registerSandbox(app);
    await app.register(sandboxToolsRoutes);
  }
  return app;
}
