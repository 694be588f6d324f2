import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp, parsedLogs } from './helpers/app.js';
import { injectFault, signedInOwner } from './helpers/factories.js';
import { endOfCallReport, postVapi } from './helpers/vapi.js';
import { waitFor } from './helpers/webhook-receiver.js';
import { queryRows } from '../src/db/client.js';
import { mailOutbox, subscriptions, webhookEvents } from '../src/db/schema/index.js';
import { ProviderError } from '../src/providers/errors.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
// The job reports what it deleted and what it kept in the app's log.
const { lines: logs, stream: logStream } = parsedLogs();
beforeAll(async () => {
  t = await buildListeningApp({ env: { LOG_LEVEL: 'info' }, logStream });
  app = t.app;
});
afterAll(() => t.close());

const DAY_MS = 86_400_000;
const as = (cookie: string) => ({ cookie });
const cron = async () => {
  const res = await app.inject({ url: '/api/cron/account-deletion', headers: { authorization: 'Bearer test-cron-secret' } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { deleted: number; errors: number };
};
const vapiGet = (path: string) => app.inject({ url: `/sandbox/vapi${path}`, headers: { authorization: `Bearer ${t.config.vapi.apiKey}` } });

const subscriptionOf = async (organizationId: string) =>
  (await app.ctx.db.select().from(subscriptions).where(eq(subscriptions.organizationId, organizationId)))[0];

/** A paying customer with everything an organization can hold here: assistant, number, knowledge file, a call. */
async function customer() {
  const owner = await signedInOwner(app);
  const checkout = await app.inject({ method: 'POST', url: '/api/stripe/checkout', headers: as(owner.cookie), payload: { planTier: 'PRO' } });
  const paid = await fetch(`${checkout.json().url}/pay`, { method: 'POST', redirect: 'manual' });
  expect(paid.status).toBe(303);
  await waitFor(async () => (await subscriptionOf(owner.organizationId))?.status === 'active', 5000, 'the subscription');
  const subscription = await subscriptionOf(owner.organizationId);
  const remote = await app.ctx.providers.vapi.createAssistant({ name: 'Reception AI', systemPrompt: 'Hi' });
  expect((await app.inject({ method: 'POST', url: '/api/assistants', headers: as(owner.cookie), payload: { vapiAssistantId: remote.id, name: 'Reception AI' } })).statusCode).toBe(201);
  const number = await app.inject({ method: 'POST', url: '/api/phone-numbers', headers: as(owner.cookie), payload: { areaCode: '415' } });
  expect(number.statusCode, number.body).toBe(200);
  const kb = await app.inject({ method: 'PUT', url: '/api/kb', headers: as(owner.cookie), payload: { sectionKey: 'faqs', text: 'Q: Parking?\nA: Behind the building.' } });
  expect(kb.statusCode, kb.body).toBe(200);
  const report = endOfCallReport({ assistantId: remote.id, seconds: 120 });
  expect((await postVapi(app, report)).statusCode).toBe(200);
  expect([number.json().twilioPhoneNumberSid, number.json().vapiPhoneNumberId, kb.json().section.vapiFileId]).toEqual([
    expect.stringMatching(/^PN/),
    expect.any(String),
    expect.any(String),
  ]);
  return {
    owner,
    subscriptionId: subscription!.stripeSubscriptionId!,
    vapiAssistantId: remote.id,
    twilioSid: number.json().twilioPhoneNumberSid as string,
    vapiPhoneNumberId: number.json().vapiPhoneNumberId as string,
    vapiFileId: kb.json().section.vapiFileId as string,
    callId: report.message.call.id,
  };
}

/** Cancels now at Stripe and waits for the webhook: deletion is due 7 days from now. */
async function cancelled(c: Awaited<ReturnType<typeof customer>>) {
  await app.ctx.providers.stripe.cancelNow(c.subscriptionId, `test:cancel:${c.subscriptionId}`);
  await waitFor(async () => !!(await subscriptionOf(c.owner.organizationId))?.deletionAt, 5000, 'the cancellation');
}

/** Rows naming the organization, over every table that has an organization_id column. */
async function rowsOf(organizationId: string) {
  const tables = await queryRows<{ table_name: string }>(
    app.ctx.db,
    sql`select table_name from information_schema.columns where column_name = 'organization_id' and table_schema = 'public'`,
  );
  let n = Number((await queryRows<{ n: number }>(app.ctx.db, sql`select count(*)::int as n from organizations where id = ${organizationId}`))[0]!.n);
  for (const { table_name } of tables) {
    const [row] = await queryRows<{ n: number }>(app.ctx.db, sql`select count(*)::int as n from ${sql.identifier(table_name)} where organization_id = ${organizationId}`);
    n += Number(row!.n);
  }
  return n;
}

const notFoundAt = async (lookup: Promise<unknown>) => {
  const err = await lookup.then(() => null, (e: unknown) => e);
  return err instanceof ProviderError && err.notFound;
};

describe('account-deletion', () => {
  it('deletes an organization 7 days after its cancellation took effect: its rows, its VAPI and Twilio resources, its events and mail', async () => {
    const doomed = await customer();
    const staying = await customer();
    const free = await signedInOwner(app);
    await cancelled(doomed);
    // The other one cancels at period end: still paying, its deletion weeks away.
    expect((await app.inject({ method: 'POST', url: '/api/subscription/cancel', headers: as(staying.owner.cookie), payload: { acknowledged: true } })).statusCode).toBe(200);

    expect(await cron()).toEqual({ deleted: 0, errors: 0 }); // within the grace period
    expect(await rowsOf(doomed.owner.organizationId)).toBeGreaterThan(5);

    t.clock.advance(8 * DAY_MS);
    expect(await cron()).toEqual({ deleted: 1, errors: 0 });
    expect(await rowsOf(doomed.owner.organizationId)).toBe(0);
    expect((await app.inject({ url: '/api/assistants', headers: as(doomed.owner.cookie) })).statusCode).toBe(401);
    const events = (callId: string) => app.ctx.db.select().from(webhookEvents).where(and(eq(webhookEvents.provider, 'vapi'), sql`${webhookEvents.eventKey} like ${`${callId}:%`}`));
    expect(await events(doomed.callId)).toHaveLength(0);
    expect(await events(staying.callId)).toHaveLength(1);
    expect(await app.ctx.db.select().from(mailOutbox).where(eq(mailOutbox.to, doomed.owner.email))).toHaveLength(0);
    expect((await app.ctx.db.select().from(mailOutbox).where(eq(mailOutbox.to, staying.owner.email))).length).toBeGreaterThan(0);

    // Released at the providers, so they stop billing for it.
    expect(await notFoundAt(app.ctx.providers.twilio.getNumber(doomed.twilioSid))).toBe(true);
    expect(await notFoundAt(app.ctx.providers.vapi.getAssistant(doomed.vapiAssistantId))).toBe(true);
    expect((await vapiGet(`/phone-number/${doomed.vapiPhoneNumberId}`)).statusCode).toBe(404);
    expect((await vapiGet(`/file/${doomed.vapiFileId}`)).statusCode).toBe(404);

    // The others keep everything.
    expect((await app.inject({ url: '/api/assistants', headers: as(staying.owner.cookie) })).statusCode).toBe(200);
    expect((await app.ctx.providers.twilio.getNumber(staying.twilioSid)).sid).toBe(staying.twilioSid);
    expect((await app.inject({ url: '/api/auth/session', headers: as(free.cookie) })).json()).toMatchObject({ user: { email: free.email } });
    expect(await cron()).toEqual({ deleted: 0, errors: 0 });
  });

  it('keeps an organization whose release failed, and deletes it on the next run', async () => {
    const c = await customer();
    await cancelled(c);
    t.clock.advance(8 * DAY_MS);
    await injectFault(app, 'twilio', 400, 1);
    const before = logs.length;
    expect(await cron()).toEqual({ deleted: 0, errors: 1 });
    expect(await rowsOf(c.owner.organizationId)).toBeGreaterThan(5);
    expect(logs.slice(before).filter((l) => l.msg === 'account deletion: organizations deleted')).toEqual([]);
    expect(logs.filter((l) => l.organizationId === c.owner.organizationId)).toEqual([
      expect.objectContaining({ level: 50, msg: 'account deletion: could not release provider resources; kept until the next run', err: expect.objectContaining({ type: 'ProviderError' }) }),
    ]);
    // VAPI's side was partly released already: gone there counts as done on the rerun.
    expect(await cron()).toEqual({ deleted: 1, errors: 0 });
    expect(await rowsOf(c.owner.organizationId)).toBe(0);
    expect(logs.filter((l) => l.msg === 'account deletion: organizations deleted').at(-1)).toMatchObject({ level: 30, organizations: [c.owner.organizationId] });
  });

  it('checks again under the lock: an organization that resubscribed while the run waited keeps everything', async () => {
    const c = await customer();
    await cancelled(c);
    t.clock.advance(8 * DAY_MS);
    // The run lists the organization as due, then asks for its lock, which this test holds; the
    // organization resubscribes meanwhile. (The wrapper only tells when the run asks.)
    const lock = app.ctx.withOrgLock;
    let asked!: () => void;
    const runAsks = new Promise<void>((resolve) => (asked = resolve));
    app.ctx.withOrgLock = (organizationId, flow, fn) => {
      if (organizationId === c.owner.organizationId && flow === 'account-deletion') asked();
      return lock(organizationId, flow, fn);
    };
    let run: Promise<unknown> | undefined;
    try {
      await lock(c.owner.organizationId, 'account-deletion', async () => {
        run = cron();
        await runAsks;
        await app.ctx.db.update(subscriptions).set({ status: 'active', deletionAt: null }).where(eq(subscriptions.organizationId, c.owner.organizationId));
      });
      expect(await run).toEqual({ deleted: 0, errors: 0 });
    } finally {
      app.ctx.withOrgLock = lock;
    }
    expect(await rowsOf(c.owner.organizationId)).toBeGreaterThan(5);
    expect(await notFoundAt(app.ctx.providers.vapi.getAssistant(c.vapiAssistantId))).toBe(false);
    t.clock.advance(-8 * DAY_MS);
  });
});
