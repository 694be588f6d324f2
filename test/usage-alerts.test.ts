import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import { buildListeningApp } from './helpers/app.js';
import { ownerWithAssistant, setPlan, uniqueEmail } from './helpers/factories.js';
import { endOfCallReport, postVapi } from './helpers/vapi.js';
import { sleep, startReceiver, waitFor } from './helpers/webhook-receiver.js';
import { organizations, usageAlerts, users, webhookDeliveries } from '../src/db/schema/index.js';
import { usageAlertsPending } from '../src/modules/usage-alerts/usage-alerts.service.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  t = await buildListeningApp({ allowLoopbackFetch: true });
  app = t.app;
  receiver = await startReceiver();
});
afterAll(async () => {
  await t.close();
  await receiver.stop();
});

/** An organization on a 2-minute plan, with an endpoint for usage.threshold, an admin and a member. */
async function smallPlanOrg() {
  const { owner, vapiAssistantId } = await ownerWithAssistant(app, { plan: 'PRO' });
  await setPlan(app, owner.organizationId, 'PRO', { minutesLimit: 2 });
  const res = await app.inject({
    method: 'POST',
    url: '/api/webhook-endpoints',
    headers: { cookie: owner.cookie },
    payload: { url: receiver.url, events: ['usage.threshold'] },
  });
  expect(res.statusCode).toBe(201);
  const [admin, member] = await app.ctx.db
    .insert(users)
    .values([
      { organizationId: owner.organizationId, email: uniqueEmail('admin'), name: 'Ada Admin', passwordHash: 'x', role: 'admin' },
      { organizationId: owner.organizationId, email: uniqueEmail('member'), name: 'Mo Member', passwordHash: 'x', role: 'member' },
    ])
    .returning();
  return { owner, vapiAssistantId, admin: admin!, member: member! };
}

const report = (assistantId: string, seconds: number) => postVapi(app, endOfCallReport({ assistantId, seconds }));

const alertMails = async (to: string) =>
  ((await app.inject({ url: `/sandbox/mail?to=${encodeURIComponent(to)}` })).json() as Array<{ subject: string; text: string }>).filter((m) =>
    /included minutes/.test(m.subject),
  );

const eventsFor = (organizationId: string) => receiver.received.filter((r) => r.json.organizationId === organizationId).map((r) => r.json);

const alertRows = (organizationId: string) =>
  app.ctx.db.select().from(usageAlerts).where(eq(usageAlerts.organizationId, organizationId)).orderBy(usageAlerts.cycleStart, usageAlerts.thresholdPercent);

describe('usage alerts', () => {
  it('alerts owners and admins once at 80 % and once at 100 % of the cycle, with a usage.threshold event each', async () => {
    const { owner, vapiAssistantId, admin, member } = await smallPlanOrg();

    await report(vapiAssistantId, 60); // 50 %
    expect(await alertMails(owner.email)).toEqual([]);
    expect(await alertRows(owner.organizationId)).toEqual([]);

    await report(vapiAssistantId, 40); // 100 s: 83 %
    expect((await alertRows(owner.organizationId)).map((r) => r.thresholdPercent)).toEqual([80]);
    const [at80] = await alertMails(owner.email);
    expect(at80!.subject).toBe('Acme Dental has used 80% of its included minutes');
    expect(at80!.text).toContain('1.67 of its 2 included minutes');
    expect(await alertMails(admin.email)).toHaveLength(1);
    expect(await alertMails(member.email)).toEqual([]);
    await waitFor(() => eventsFor(owner.organizationId).length === 1, 5000, 'the 80 % event');
    expect(eventsFor(owner.organizationId)[0]).toMatchObject({
      type: 'usage.threshold',
      data: { percent: 80, minutesUsed: 1.67, minutesLimit: 2, cycleStart: expect.any(String), cycleEnd: expect.any(String) },
    });

    await report(vapiAssistantId, 10); // 110 s: still between thresholds
    expect(await alertMails(owner.email)).toHaveLength(1);

    await report(vapiAssistantId, 30); // 140 s: 117 %
    const mails = await alertMails(owner.email);
    expect(mails.map((m) => m.subject)).toEqual(['Acme Dental has used all 2 included minutes', 'Acme Dental has used 80% of its included minutes']);
    expect(mails[0]!.text).toMatch(/not answered until the minutes reset/);
    await waitFor(() => eventsFor(owner.organizationId).length === 2, 5000, 'the 100 % event');
    expect(eventsFor(owner.organizationId)[1]).toMatchObject({ type: 'usage.threshold', data: { percent: 100, minutesUsed: 2.33, minutesLimit: 2 } });

    await report(vapiAssistantId, 60); // more of the same cycle: nothing new
    await sleep(200);
    expect(await alertMails(owner.email)).toHaveLength(2);
    expect(await alertMails(admin.email)).toHaveLength(2);
    expect(eventsFor(owner.organizationId)).toHaveLength(2);
  });

  it('sends each alert once when many reports arrive at the same moment', async () => {
    const { owner, vapiAssistantId } = await smallPlanOrg();
    const answers = await Promise.all(Array.from({ length: 12 }, () => report(vapiAssistantId, 30)));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    expect((await alertRows(owner.organizationId)).map((r) => r.thresholdPercent)).toEqual([80, 100]);
    expect((await alertMails(owner.email)).map((m) => m.subject).sort()).toEqual([
      'Acme Dental has used 80% of its included minutes',
      'Acme Dental has used all 2 included minutes',
    ]);
    const queued = await app.ctx.db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.organizationId, owner.organizationId), eq(webhookDeliveries.eventType, 'usage.threshold')));
    expect(queued.map((d) => (d.payload as { data: { percent: number } }).data.percent).sort()).toEqual([100, 80]);
  });

  it('a report that jumps past both thresholds sends both; overage changes what the 100 % mail says', async () => {
    const { owner, vapiAssistantId } = await smallPlanOrg();
    await setPlan(app, owner.organizationId, 'PRO', { minutesLimit: 2, overageEnabled: true });
    await report(vapiAssistantId, 150);
    const mails = await alertMails(owner.email);
    expect(mails).toHaveLength(2);
    expect(mails.find((m) => /all 2/.test(m.subject))!.text).toContain('billed at $0.30 a minute');
    await waitFor(() => eventsFor(owner.organizationId).length === 2, 5000, 'two events');
    expect(eventsFor(owner.organizationId).map((e) => e.data.percent).sort()).toEqual([100, 80]);
  });

  it('tells ingestion when the cycle has no alert left to send, so reports skip the usage sum', async () => {
    const { owner, vapiAssistantId } = await smallPlanOrg();
    // As the database writes it (now(), billing-reset): to the microsecond.
    await app.ctx.db.execute(sql`update organizations set cycle_start = now() - interval '1 day 0.000123 seconds' where id = ${owner.organizationId}`);
    const pending = async () => {
      const [row] = await app.ctx.db
        .select({ pending: usageAlertsPending(sql.raw('"organizations"."id"')) })
        .from(organizations)
        .where(eq(organizations.id, owner.organizationId));
      return row!.pending;
    };
    expect(await pending()).toBe(true);
    await report(vapiAssistantId, 100); // 83 %: the 100 % alert is still to come
    expect(await pending()).toBe(true);
    await report(vapiAssistantId, 60); // 133 %
    expect((await alertRows(owner.organizationId)).map((r) => r.thresholdPercent)).toEqual([80, 100]);
    // The alert row holds the cycle start to the millisecond, as JavaScript read it.
    expect(await pending()).toBe(false);
  });

  it('starts again in the next billing cycle', async () => {
    const { owner, vapiAssistantId } = await smallPlanOrg();
    await report(vapiAssistantId, 130);
    expect((await alertRows(owner.organizationId)).map((r) => r.thresholdPercent)).toEqual([80, 100]);

    t.clock.advance(32 * 86_400_000);
    const reset = await app.inject({ method: 'GET', url: '/api/cron/billing-reset', headers: { authorization: 'Bearer test-cron-secret' } });
    expect(reset.statusCode).toBe(200);

    await report(vapiAssistantId, 100); // 83 % of the new cycle
    const rows = await alertRows(owner.organizationId);
    expect(rows.map((r) => r.thresholdPercent)).toEqual([80, 100, 80]);
    expect(rows[2]!.cycleStart.getTime()).toBeGreaterThan(rows[0]!.cycleStart.getTime());
    expect((await alertMails(owner.email)).filter((m) => /80%/.test(m.subject))).toHaveLength(2);
    await waitFor(() => eventsFor(owner.organizationId).length === 3, 5000, 'the new cycle event');
  });
});
