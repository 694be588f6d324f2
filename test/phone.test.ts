import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { setPlan, signedInOwner, ownerWithAssistant as makeOwnerWithAssistant } from './helpers/factories.js';
import { sectionBody } from '../src/domain/prompt.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const call = (owner: Owner, method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url, payload, headers: { cookie: owner.cookie } });

const ownerWithAssistant = (plan = 'ADVANCED') => makeOwnerWithAssistant(app, { plan, spec: { tools: [{ type: 'endCall' }] } });

describe('phone numbers', () => {
  it('searches numbers by area code', async () => {
    const owner = await signedInOwner(app);
    const res = await call(owner, 'GET', '/api/phone-numbers/search?areaCode=415&limit=3');
    expect(res.statusCode).toBe(200);
    expect(res.json().numbers.length).toBeGreaterThan(0);
    expect(res.json().numbers[0].phoneNumber).toMatch(/^\+1415\d{7}$/);
    expect((await call(owner, 'GET', '/api/phone-numbers/search')).statusCode).toBe(400);
    expect((await call(owner, 'GET', '/api/phone-numbers/search?areaCode=12')).statusCode).toBe(400);
  });

  it('needs an active assistant, provisions once, then answers 409', async () => {
    const bare = await signedInOwner(app);
    // The route exists; the organization's state conflicts: 409 with a message saying what to do.
    const none = await call(bare, 'POST', '/api/phone-numbers', { areaCode: '415' });
    expect(none.statusCode).toBe(409);
    expect(none.json()).toMatchObject({ code: 'CONFLICT', error: expect.stringMatching(/needs an assistant/) });

    const { owner } = await ownerWithAssistant();
    const res = await call(owner, 'POST', '/api/phone-numbers', { areaCode: '415' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: true, phoneNumber: expect.stringMatching(/^\+1415/), twilioPhoneNumberSid: expect.stringMatching(/^PN/) });
    expect((await call(owner, 'GET', '/api/phone-numbers')).json()).toMatchObject({
      phoneNumber: res.json().phoneNumber,
      vapiPhoneNumberId: res.json().vapiPhoneNumberId,
      hasSipTrunk: true,
      hasAssistant: true,
      assistantName: 'Reception AI',
    });
    expect((await call(owner, 'POST', '/api/phone-numbers', { areaCode: '415' })).statusCode).toBe(409);
    expect((await call(owner, 'GET', '/api/assistants')).json().phoneNumber).toBe(res.json().phoneNumber);
  });
});

describe('transfer number', () => {
  it('normalizes to E.164, rewrites the transfer section and the transferCall tool, and clears', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant('ADVANCED');
    const set = await call(owner, 'PUT', '/api/transfer-number', { transferNumber: '(415) 555-2671', transferMode: 'warm' });
    expect(set.json()).toEqual({ success: true, transferNumber: '+14155552671', transferMode: 'warm' });
    let remote = await app.ctx.providers.vapi.getAssistant(vapiAssistantId);
    expect(remote.tools).toEqual([
      { type: 'endCall' },
      expect.objectContaining({ type: 'transferCall', destinations: [expect.objectContaining({ number: '+14155552671', mode: 'warm-transfer-say-summary' })] }),
    ]);
    expect(sectionBody(remote.systemPrompt, 'transfer')).toContain('+14155552671');
    expect((await call(owner, 'GET', '/api/transfer-number')).json()).toEqual({ transferNumber: '+14155552671', transferMode: 'warm', canEdit: true });

    expect((await call(owner, 'PUT', '/api/transfer-number', {})).json()).toMatchObject({ transferNumber: null });
    remote = await app.ctx.providers.vapi.getAssistant(vapiAssistantId);
    expect(remote.tools).toEqual([{ type: 'endCall' }]);
    expect(sectionBody(remote.systemPrompt, 'transfer')).toMatch(/No one is available/);
  });

  it('refuses bad numbers and plans below Advanced', async () => {
    const { owner } = await ownerWithAssistant('STARTER');
    expect((await call(owner, 'GET', '/api/transfer-number')).json().canEdit).toBe(false);
    expect((await call(owner, 'PUT', '/api/transfer-number', { transferNumber: '+14155552671' })).statusCode).toBe(403);
    await setPlan(app, owner.organizationId, 'ADVANCED');
    expect((await call(owner, 'PUT', '/api/transfer-number', { transferNumber: 'call me maybe' })).statusCode).toBe(400);
    expect((await call(owner, 'PUT', '/api/transfer-number', { transferMode: 'loud' })).statusCode).toBe(400);
  });
});
