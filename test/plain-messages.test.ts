import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { ownerWithAssistant, setPlan, signedInOwner, uniqueEmail } from './helpers/factories.js';
import { LIMITS } from '../src/domain/limits.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const call = (owner: Owner, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, payload, headers: { cookie: owner.cookie } });

describe('a plan gate names the plan that unlocks it (details.plan, from the plan table)', () => {
  it('a feature gate: the lowest tier with the feature, and the feature', async () => {
    const owner = await signedInOwner(app);
    const analytics = await call(owner, 'GET', '/api/analytics');
    expect(analytics.statusCode).toBe(403);
    expect(analytics.json()).toMatchObject({ code: 'PLAN_REQUIRED', error: 'This feature requires the Advanced plan or higher', details: { plan: 'ADVANCED', feature: 'analytics' } });
    const kb = await call(owner, 'PUT', '/api/kb', { sectionKey: 'faqs', text: 'x' });
    expect(kb.json().details).toEqual({ plan: 'STARTER', feature: 'knowledgeBase' });
    await setPlan(app, owner.organizationId, 'ADVANCED');
    expect((await call(owner, 'PUT', '/api/assistant-name', { name: 'Maya' })).json().details).toEqual({ plan: 'PRO', feature: 'editAssistantName' });
  });

  it('the assistant limit: the lowest tier that allows one more', async () => {
    const { owner } = await ownerWithAssistant(app, { plan: 'STARTER' });
    const remote = await app.ctx.providers.vapi.createAssistant({ name: 'Second', systemPrompt: 'Hi' });
    const res = await call(owner, 'POST', '/api/assistants', { vapiAssistantId: remote.id, name: 'Second' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'PLAN_REQUIRED', error: 'Your Starter plan allows 1 assistant; the Advanced plan allows more', details: { plan: 'ADVANCED' } });
  });
});

describe('validation errors are sentences naming the field, with details.field for the form', () => {
  it('a too-long business name, a missing name, an unknown plan', async () => {
    const long = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { name: 'Ana', email: uniqueEmail(), password: 'securepass123', organizationName: 'x'.repeat(LIMITS.businessName + 1) },
    });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toEqual({
      code: 'VALIDATION_FAILED',
      error: 'Business name can be at most 200 characters',
      details: [{ field: 'body.organizationName', message: 'Business name can be at most 200 characters' }],
    });
    const missing = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: uniqueEmail(), password: 'securepass123', organizationName: 'Harbor Dental' } });
    expect(missing.json().details).toEqual([{ field: 'body.name', message: 'Name is required' }]);

    const owner = await signedInOwner(app);
    const plan = await call(owner, 'POST', '/api/stripe/checkout', { planTier: 'GOLD' });
    expect(plan.json()).toMatchObject({ error: 'Plan must be one of: STARTER, ADVANCED, PRO', details: [{ field: 'body.planTier' }] });
    await setPlan(app, owner.organizationId, 'PRO');
    const text = await call(owner, 'PUT', '/api/missed-call-text', { enabled: true, message: 'x'.repeat(LIMITS.missedCallText + 1) });
    expect(text.json().error).toBe(`Message can be at most ${LIMITS.missedCallText} characters`);
  });

  it('a transfer number that is not a phone number', async () => {
    const { owner } = await ownerWithAssistant(app, { plan: 'ADVANCED' });
    const res = await call(owner, 'PUT', '/api/transfer-number', { transferNumber: 'call the front desk' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 'VALIDATION_FAILED',
      error: 'Enter the transfer number as a full phone number, e.g. +1 415 555 0100',
      details: [{ field: 'body.transferNumber', message: 'Enter the transfer number as a full phone number, e.g. +1 415 555 0100' }],
    });
  });
});

describe('knowledge-base sections are named in words and slugged by the server', () => {
  it('"Price list" is saved as price-list and shown as Price list; existing keys still work', async () => {
    const { owner } = await ownerWithAssistant(app, { plan: 'STARTER' });
    const saved = await call(owner, 'PUT', '/api/kb', { sectionKey: 'Price list', text: 'Cleaning: $120' });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().section).toMatchObject({ key: 'price-list', fileName: 'price-list.md' });
    expect((await call(owner, 'PUT', '/api/kb', { sectionKey: 'parking_info', text: 'Free parking behind the building' })).json().section.key).toBe('parking_info');
    expect((await call(owner, 'PUT', '/api/kb', { sectionKey: 'Café hours', text: 'Open at 8' })).json().section.key).toBe('cafe-hours');
    const sections = (await call(owner, 'GET', '/api/kb')).json().sections as Array<{ key: string; label: string }>;
    expect(sections.map((s) => [s.key, s.label])).toEqual(expect.arrayContaining([['price-list', 'Price list'], ['parking_info', 'Parking info'], ['cafe-hours', 'Cafe hours']]));

    // Saving "price list" again replaces the same section; deleting by its name removes it.
    await call(owner, 'PUT', '/api/kb', { sectionKey: 'price list', text: 'Cleaning: $125' });
    expect((await call(owner, 'GET', '/api/kb')).json().sections.filter((s: { key: string }) => s.key === 'price-list')).toHaveLength(1);
    expect((await call(owner, 'DELETE', `/api/kb?section=${encodeURIComponent('Price list')}`)).statusCode).toBe(200);
    expect((await call(owner, 'GET', '/api/kb')).json().sections.map((s: { key: string }) => s.key)).not.toContain('price-list');
  });

  it('refuses a name with no letter or digit, and a long name, in words and without cutting it', async () => {
    const { owner } = await ownerWithAssistant(app, { plan: 'STARTER' });
    const empty = await call(owner, 'PUT', '/api/kb', { sectionKey: '!!!', text: 'x' });
    expect(empty.json()).toMatchObject({ error: 'Section name needs at least one letter or digit', details: [{ field: 'body.sectionKey' }] });
    const long = await call(owner, 'PUT', '/api/kb', { sectionKey: 'Prices for every treatment we offer in 2026', text: 'x' });
    expect(long.json()).toMatchObject({ error: `Section name can be at most ${LIMITS.kbSectionName} characters`, details: [{ field: 'body.sectionKey' }] });
    const text = await call(owner, 'PUT', '/api/kb', { sectionKey: 'faqs', text: 'x'.repeat(LIMITS.kbSectionText + 1) });
    expect(text.json().error).toBe('Text can be at most 200,000 characters');
    expect((await call(owner, 'GET', '/api/kb')).json().sections).toEqual([]);
  });
});
