import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { lastMailTo, ownerWithAssistant, setPlan, signedInOwner, tokenFrom, uniqueEmail } from './helpers/factories.js';
import { serveFixtureSite } from './helpers/fixture-site.js';
import type { Providers } from '../src/providers/index.js';
import { organizations, promptVersions, sandboxResources, subscriptions, users } from '../src/db/schema/index.js';

/**
 * The once-only flows outside billing (billing-once.test.ts has those), each hit by 20
 * identical requests at the same moment: one effect, and for the others the same answer or a
 * refusal. Run on Postgres too (TEST_DATABASE_URL), where requests truly run in parallel.
 */

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
let site: Awaited<ReturnType<typeof serveFixtureSite>>;
beforeAll(async () => {
  t = await buildListeningApp({ allowLoopbackFetch: true });
  app = t.app;
  site = await serveFixtureSite('clinic', {});
});
afterAll(async () => {
  await site.close();
  await t.close();
});

const N = 20;
type Answer = Awaited<ReturnType<FastifyInstance['inject']>>;
const post = (cookie: string, url: string, payload: object = {}) => app.inject({ method: 'POST', url, headers: { cookie }, payload });
const burst = (send: () => Promise<Answer>) => Promise.all(Array.from({ length: N }, send));
const statuses = (answers: Answer[]) => answers.map((a) => a.statusCode).sort();
const versionsOf = async (organizationId: string, reason: string) =>
  (await app.ctx.db.select().from(promptVersions).where(and(eq(promptVersions.organizationId, organizationId), eq(promptVersions.reason, reason)))).length;
const twilioNumbersOf = async (organizationId: string) =>
  (
    await app.ctx.db
      .select()
      .from(sandboxResources)
      .where(and(eq(sandboxResources.kind, 'incoming_phone_number'), sql`${sandboxResources.data}->>'friendly_name' = ${`epoch-voice-${organizationId}`}`))
  ).length;

/** Counts one provider method's calls; every call still goes through to its emulator. */
function countCalls<S extends 'ai' | 'vapi'>(service: S, method: keyof Providers[S]) {
  const real = app.ctx.providers[service];
  const counter = { calls: 0, restore: () => void (app.ctx.providers[service] = real) };
  app.ctx.providers[service] = new Proxy(real, {
    get(target, name) {
      const value = Reflect.get(target, name) as unknown;
      if (name !== method || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counter.calls++;
        return (value as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
  return counter;
}

describe(`${N} identical requests at once make one effect`, () => {
  it('number provisioning: one number bought, then 409', async () => {
    const { owner } = await ownerWithAssistant(app);
    const answers = await burst(() => post(owner.cookie, '/api/phone-numbers', { areaCode: '415' }));
    expect(statuses(answers)).toEqual([200, ...Array(N - 1).fill(409)]);
    expect(await twilioNumbersOf(owner.organizationId)).toBe(1);
  });

  it('invitation accept: one account joins, the other requests find the invitation used', async () => {
    const owner = await signedInOwner(app);
    const email = uniqueEmail('invitee');
    expect((await post(owner.cookie, '/api/members/invite', { email, role: 'member' })).statusCode).toBe(201);
    const token = decodeURIComponent(tokenFrom((await lastMailTo(app, email))!.text)!);
    const answers = await burst(() => app.inject({ method: 'POST', url: '/api/members/accept', payload: { token, name: 'Invitee', password: 'securepass123' } }));
    expect(statuses(answers)).toEqual([201, ...Array(N - 1).fill(400)]);
    expect(await app.ctx.db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
  });

  it('knowledge refresh: one upload of the changed website, the others find it current', async () => {
    const owner = await signedInOwner(app);
    await setPlan(app, owner.organizationId, 'STARTER');
    await post(owner.cookie, '/api/onboarding/analyze', { url: site.url });
    expect((await post(owner.cookie, '/api/onboarding', { onboardingData: { businessName: 'Harbor Family Dentistry' }, complete: true })).json().completed).toBe(true);
    site.pages['/hours'] = '<html><body><h1>Office hours</h1><p>Monday - Friday: 7:00 AM - 7:00 PM</p></body></html>';
    const answers = await burst(() => post(owner.cookie, '/api/kb/refresh'));
    expect(statuses(answers)).toEqual(Array(N).fill(200));
    expect(answers.filter((a) => a.json().uploaded)).toHaveLength(1);
    const kb = (await app.inject({ url: '/api/kb', headers: { cookie: owner.cookie } })).json();
    expect(kb.sections.find((s: { key: string }) => s.key === 'website').text).toContain('7:00 AM - 7:00 PM');
  });

  it('prompt regeneration: one rewrite, its prompt the answer to every request', async () => {
    const owner = await signedInOwner(app);
    await setPlan(app, owner.organizationId, 'ADVANCED');
    expect((await post(owner.cookie, '/api/onboarding', { onboardingData: { businessName: 'Rewrite Dental' }, complete: true })).json().completed).toBe(true);
    const rewrites = countCalls('ai', 'complete');
    const updates = countCalls('vapi', 'updateAssistant');
    try {
      const answers = await burst(() => post(owner.cookie, '/api/prompt/regenerate', { sections: ['persona', 'context'] }));
      expect(statuses(answers)).toEqual(Array(N).fill(200));
      expect(new Set(answers.map((a) => a.json().systemPrompt)).size).toBe(1);
      expect(rewrites.calls).toBe(2); // persona and context, once
      expect(updates.calls).toBe(1);
      expect(await versionsOf(owner.organizationId, 'regenerate')).toBeLessThanOrEqual(1);
    } finally {
      rewrites.restore();
      updates.restore();
    }
  });

  it('account deletion: the organization is released and deleted once', async () => {
    const { owner } = await ownerWithAssistant(app);
    const number = await post(owner.cookie, '/api/phone-numbers', { areaCode: '415' });
    expect(number.statusCode).toBe(200);
    const past = new Date(t.clock.now().getTime() - 60_000);
    await app.ctx.db.insert(subscriptions).values({ organizationId: owner.organizationId, stripeCustomerId: 'cus_gone', status: 'canceled', deletionAt: past });
    const answers = await burst(() => app.inject({ url: '/api/cron/account-deletion', headers: { authorization: 'Bearer test-cron-secret' } }));
    const ran = answers.filter((a) => a.statusCode === 200).map((a) => a.json() as { deleted: number; errors: number });
    expect(answers.every((a) => a.statusCode === 200 || a.statusCode === 409)).toBe(true);
    expect(ran.reduce((sum, r) => sum + r.deleted, 0)).toBe(1);
    expect(ran.reduce((sum, r) => sum + r.errors, 0)).toBe(0);
    // Two instances' jobs at once (no job lock between them): still one deletion.
    const { deleteCancelledOrganizations } = await import('../src/modules/billing/account-deletion.service.js');
    expect((await Promise.all(Array.from({ length: 5 }, () => deleteCancelledOrganizations(app.ctx)))).every((r) => r.deleted === 0)).toBe(true);
    expect(await app.ctx.db.select().from(organizations).where(eq(organizations.id, owner.organizationId))).toHaveLength(0);
    await expect(app.ctx.providers.twilio.getNumber(number.json().twilioPhoneNumberSid)).rejects.toMatchObject({ status: 404 });
  });
});
