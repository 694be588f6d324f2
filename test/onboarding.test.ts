import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { injectFault, signedInOwner } from './helpers/factories.js';
import { serveFixtureSite } from './helpers/fixture-site.js';
import { sectionBody } from '../src/domain/prompt.js';
import { and, eq, sql } from 'drizzle-orm';
import { sandboxResources } from '../src/db/schema/index.js';
import { vapiStores } from '../src/sandbox/vapi/shared.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
let site: Awaited<ReturnType<typeof serveFixtureSite>>;
beforeAll(async () => {
  t = await buildListeningApp({ allowLoopbackFetch: true });
  app = t.app;
  site = await serveFixtureSite('clinic');
});
afterAll(async () => {
  await site.close();
  await t.close();
});

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const post = (owner: Owner, url: string, payload: object) => app.inject({ method: 'POST', url, payload, headers: { cookie: owner.cookie } });
const get = (owner: Owner, url: string) => app.inject({ url, headers: { cookie: owner.cookie } });
/** How many objects of a kind an emulator holds (its state lives in sandbox_resources). */
async function countEmulated(service: string, kind: string) {
  const [row] = await app.ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(sandboxResources)
    .where(and(eq(sandboxResources.service, service), eq(sandboxResources.kind, kind)));
  return row!.n;
}

describe('website analysis', () => {
  it('reads JSON-LD on one page and hours only in text on another', async () => {
    const owner = await signedInOwner(app);
    const res = await post(owner, '/api/onboarding/analyze', { url: site.url });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.businessName).toBe('Harbor Family Dentistry');
    expect(body.extractedData).toMatchObject({
      businessName: 'Harbor Family Dentistry',
      businessType: 'dental_office',
      address: '88 Harbor Way, Oakland, CA 94607',
      phone: '+15105550142',
      hours: {
        monday: { open: '09:00', close: '17:00', closed: false },
        friday: { open: '09:00', close: '17:00', closed: false },
        saturday: { open: '10:00', close: '14:00', closed: false },
        sunday: { closed: true },
      },
    });
    expect(body.pagesScraped).toBe(3);
    expect(body.scrapeWarnings).toEqual([expect.stringContaining('/contact')]);
  });

  it('refuses private addresses by default (the loopback allowance is test-only)', async () => {
    const guarded = await buildListeningApp();
    try {
      const owner = await signedInOwner(guarded.app);
      const res = await guarded.app.inject({ method: 'POST', url: '/api/onboarding/analyze', payload: { url: site.url }, headers: { cookie: owner.cookie } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: expect.stringMatching(/^127\.0\.0\.1:\d+ points to a private network, not a public website, so we cannot read it\./),
        details: [{ field: 'body.url', reason: 'blocked-address' }],
      });
      const meta = await guarded.app.inject({
        method: 'POST',
        url: '/api/onboarding/analyze',
        payload: { url: 'http://169.254.169.254/latest/meta-data/' },
        headers: { cookie: owner.cookie },
      });
      expect(meta.statusCode).toBe(400);
      expect((await guarded.app.inject({ method: 'POST', url: '/api/onboarding/analyze', payload: { url: 'file:///etc/passwd' }, headers: { cookie: owner.cookie } })).statusCode).toBe(400);
    } finally {
      await guarded.close();
    }
  });
});

describe('an unreadable website', () => {
  it('is explained in a sentence with advice, next to the url field; the reason code stays in details', async () => {
    const owner = await signedInOwner(app);
    const res = await post(owner, '/api/onboarding/analyze', { url: 'https://no-such-practice.invalid/' });
    expect(res.statusCode).toBe(400);
    const message = 'We could not find a website at no-such-practice.invalid. Check the spelling of the address, or skip this step and fill in your details by hand.';
    expect(res.json()).toEqual({ error: message, code: 'BAD_REQUEST', details: [{ field: 'body.url', message, reason: 'dns-failed' }] });
    // A page that is not there: the site's answer, in words.
    const missing = await post(owner, '/api/onboarding/analyze', { url: `${site.url}no-such-page` });
    expect(missing.json().error).toMatch(/^127\.0\.0\.1:\d+ says this page does not exist\. Check the address or try your home page's address/);
    expect(missing.json().details[0].reason).toBe('http-error');
  });
});

describe('the sample website (sandbox)', () => {
  it('is served on our origin, offered by GET /api/onboarding, and read in-process by the guarded analyzer', async () => {
    // No loopback allowance: the sample site is read without any connection, the guard is unchanged.
    const guarded = await buildListeningApp();
    try {
      const owner = await signedInOwner(guarded.app);
      const sampleUrl = `${guarded.baseUrl}/sandbox/sample-site/`;
      const status = await guarded.app.inject({ url: '/api/onboarding', headers: { cookie: owner.cookie } });
      expect(status.json().sampleWebsiteUrl).toBe(sampleUrl);

      const home = await fetch(sampleUrl);
      expect([home.status, home.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect(await home.text()).toContain('Maple Street Dental');
      expect((await fetch(`${sampleUrl}services`)).status).toBe(200);
      expect((await fetch(`${sampleUrl}constructor`)).status).toBe(404);
      expect((await fetch(`${guarded.baseUrl}/sandbox/sample-site`, { redirect: 'manual' })).headers.get('location')).toBe('/sandbox/sample-site/');

      const analyzed = await guarded.app.inject({ method: 'POST', url: '/api/onboarding/analyze', payload: { url: sampleUrl }, headers: { cookie: owner.cookie } });
      expect(analyzed.statusCode).toBe(200);
      expect(analyzed.json()).toMatchObject({
        businessName: 'Maple Street Dental',
        pagesScraped: 5,
        scrapeWarnings: [],
        extractedData: {
          businessType: 'dental_office',
          phone: '+12175550148',
          address: '214 Maple Street, Suite 3, Springfield, IL 62704',
          hours: { monday: { open: '08:00', close: '17:00' }, friday: { open: '08:00', close: '14:00' }, saturday: { open: '09:00', close: '13:00' } },
        },
      });
      // Other paths on our own origin still go through the guard: loopback stays refused.
      for (const url of [`${guarded.baseUrl}/api/health`, `${guarded.baseUrl}/sandbox/sample-site-other/`]) {
        const refused = await guarded.app.inject({ method: 'POST', url: '/api/onboarding/analyze', payload: { url }, headers: { cookie: owner.cookie } });
        expect([refused.statusCode, refused.json().details[0].reason]).toEqual([400, 'blocked-address']);
      }
      const unknownPage = await guarded.app.inject({ method: 'POST', url: '/api/onboarding/analyze', payload: { url: `${sampleUrl}nope` }, headers: { cookie: owner.cookie } });
      expect([unknownPage.statusCode, unknownPage.json().details[0].reason]).toEqual([400, 'http-error']);

      // Completing teaches the assistant the sample site's services and prices.
      const done = await guarded.app.inject({ method: 'POST', url: '/api/onboarding', payload: { onboardingData: { businessName: 'Maple Street Dental' }, complete: true }, headers: { cookie: owner.cookie } });
      expect(done.json()).toMatchObject({ completed: true });
      const kb = (await guarded.app.inject({ url: '/api/kb', headers: { cookie: owner.cookie } })).json();
      expect(JSON.stringify(kb)).toContain('Teeth whitening (in office)');
    } finally {
      await guarded.close();
    }
  });

  it('does not exist outside sandbox mode', async () => {
    const live = await buildListeningApp({ env: { SANDBOX: '0' } });
    try {
      const owner = await signedInOwner(live.app);
      expect((await fetch(`${live.baseUrl}/sandbox/sample-site/`)).status).toBe(404);
      expect((await live.app.inject({ url: '/api/onboarding', headers: { cookie: owner.cookie } })).json().sampleWebsiteUrl).toBeNull();
      const refused = await live.app.inject({ method: 'POST', url: '/api/onboarding/analyze', payload: { url: `${live.baseUrl}/sandbox/sample-site/` }, headers: { cookie: owner.cookie } });
      expect([refused.statusCode, refused.json().details[0].reason]).toEqual([400, 'blocked-address']);
    } finally {
      await live.close();
    }
  });
});

describe('onboarding', () => {
  it('keeps the wizard step and the voice with the other answers, for a reload to resume from', async () => {
    const owner = await signedInOwner(app);
    const saved = await post(owner, '/api/onboarding', { onboardingData: { businessName: 'Resume Dental', voiceId: 'v1', voiceName: 'Rachel', step: 3 } });
    expect(saved.statusCode).toBe(200);
    expect((await get(owner, '/api/onboarding')).json().data).toEqual({ businessName: 'Resume Dental', voiceId: 'v1', voiceName: 'Rachel', step: 3 });
    expect((await post(owner, '/api/onboarding', { onboardingData: { step: 4 } })).statusCode).toBe(400);
  });

  it('saves answers, then provisions assistant, website knowledge and number; completing twice is a 400', async () => {
    const owner = await signedInOwner(app);
    await post(owner, '/api/onboarding/analyze', { url: site.url });
    const voice = (await app.inject('/api/voice/catalog')).json()[0];
    const saved = await post(owner, '/api/onboarding', { onboardingData: { businessName: 'Harbor Family Dentistry', businessType: 'dental_office' } });
    expect(saved.json()).toEqual({ success: true, completed: false, phoneNumber: null, provisioningErrors: [] });
    expect((await get(owner, '/api/onboarding')).json()).toMatchObject({ completed: false, organizationName: 'Harbor Family Dentistry', data: { businessType: 'dental_office' } });
    // A privacy choice made before the assistant exists goes with its creation.
    const privacy = await app.inject({ method: 'PUT', url: '/api/privacy', payload: { transcriptRetentionDays: null, recordingRetentionDays: 0, redactPii: true }, headers: { cookie: owner.cookie } });
    expect(privacy.statusCode).toBe(200);

    const done = await post(owner, '/api/onboarding', {
      onboardingData: { voiceId: voice.id, address: '88 Harbor Way, Oakland, CA 94607', areaCode: '510', hours: { monday: { open: '09:00', close: '17:00' } }, timezone: 'America/Los_Angeles' },
      complete: true,
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ success: true, completed: true, provisioningErrors: [] });
    expect(done.json().phoneNumber).toMatch(/^\+1\d{10}$/);

    const prompt = (await get(owner, '/api/prompt')).json();
    expect(sectionBody(prompt.systemPrompt, 'context')).toContain('Harbor Family Dentistry is a dental office.');
    expect(sectionBody(prompt.systemPrompt, 'hours')).toContain('Monday, 9 AM to 5 PM');
    expect(sectionBody(prompt.systemPrompt, 'knowledge')).toContain('Website');
    const remote = await app.ctx.providers.vapi.getAssistant(prompt.vapiAssistantId);
    expect(remote.voiceId).toBe(voice.id);
    expect(remote.systemPrompt).toBe(prompt.systemPrompt);
    const doc = (await vapiStores(app.ctx.db).assistants.get(prompt.vapiAssistantId))!;
    expect([doc.compliancePlan, doc.artifactPlan]).toEqual([{ hipaaEnabled: true }, { recordingEnabled: false }]);
    expect((await get(owner, '/api/kb')).json().sections.map((s: { key: string }) => s.key)).toEqual(['website']);
    expect((await get(owner, '/api/phone-numbers')).json()).toMatchObject({ phoneNumber: done.json().phoneNumber, hasSipTrunk: true, hasAssistant: true });

    expect((await post(owner, '/api/onboarding', { complete: true })).statusCode).toBe(400);
    expect((await post(owner, '/api/onboarding/analyze', { url: site.url })).statusCode).toBe(400);
  });

  it('reports a failed step and resumes from it without duplicates', async () => {
    const owner = await signedInOwner(app);
    const assistantsBefore = await countEmulated('vapi', 'assistant');
    const numbersBefore = await countEmulated('twilio', 'incoming_phone_number');
    await injectFault(app, 'twilio', 500, 20);
    const failed = await post(owner, '/api/onboarding', { onboardingData: { businessName: 'Retry Dental' }, complete: true });
    await injectFault(app, 'twilio', 500, 0);
    expect(failed.statusCode).toBe(200);
    expect(failed.json()).toMatchObject({ completed: false, phoneNumber: null });
    expect(failed.json().provisioningErrors[0].step).toBe('twilio-sip-trunk');
    const midway = (await get(owner, '/api/onboarding')).json().provisioning;
    expect(midway.stepsDone.sort()).toEqual(['assistant-record', 'vapi-assistant']);
    expect(midway.lastError).toMatchObject({ step: 'twilio-sip-trunk', message: failed.json().provisioningErrors[0].message });

    const retried = await post(owner, '/api/onboarding', { complete: true });
    expect(retried.json()).toMatchObject({ completed: true, provisioningErrors: [] });
    // The phone steps are folded into the stored number once it exists.
    expect((await get(owner, '/api/onboarding')).json()).toMatchObject({
      phoneNumber: retried.json().phoneNumber,
      provisioning: { stepsDone: expect.arrayContaining(['vapi-assistant', 'assistant-record']), lastError: null },
    });
    expect(await countEmulated('vapi', 'assistant')).toBe(assistantsBefore + 1);
    expect(await countEmulated('twilio', 'incoming_phone_number')).toBe(numbersBefore + 1);
    expect((await get(owner, '/api/assistants')).json().assistants).toHaveLength(1);
  });

  it('reports a failure at the assistant step and resumes from it', async () => {
    const owner = await signedInOwner(app);
    const assistantsBefore = await countEmulated('vapi', 'assistant');
    await injectFault(app, 'vapi', 500, 20, 0);
    const failed = await post(owner, '/api/onboarding', { onboardingData: { businessName: 'Retry Assistant Dental' }, complete: true });
    await injectFault(app, 'vapi', 500, 0);
    expect(failed.json().provisioningErrors[0].step).toBe('vapi-assistant');
    expect(await countEmulated('vapi', 'assistant')).toBe(assistantsBefore);
    const retried = await post(owner, '/api/onboarding', { complete: true });
    expect(retried.json()).toMatchObject({ completed: true, provisioningErrors: [] });
    expect(await countEmulated('vapi', 'assistant')).toBe(assistantsBefore + 1);
  });

  it('refuses an unknown voice', async () => {
    const owner = await signedInOwner(app);
    const res = await post(owner, '/api/onboarding', { onboardingData: { voiceId: 'no-such-voice' }, complete: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'body.onboardingData.voiceId' })]);
  });
});
