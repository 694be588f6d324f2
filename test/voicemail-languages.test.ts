import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { ownerWithAssistant, setPlan } from './helpers/factories.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

describe('voice by language, and voicemail on outbound calls', () => {
  it('switches the voice to the multilingual model when a second language is added, and back', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app, { plan: 'PRO', spec: { voiceId: 'pNInz6obpgDQGcFmaJgB' } });
    const put = (languages: string[]) => app.inject({ method: 'PUT', url: '/api/languages', headers: { cookie: owner.cookie }, payload: { languages } });
    expect((await put(['en', 'es'])).statusCode).toBe(200);
    let remote = await app.ctx.providers.vapi.getAssistant(vapiAssistantId);
    expect(remote).toMatchObject({ voiceId: 'pNInz6obpgDQGcFmaJgB', voiceModel: 'eleven_multilingual_v2' });
    await put(['en']);
    remote = await app.ctx.providers.vapi.getAssistant(vapiAssistantId);
    expect(remote.voiceModel).toBe('eleven_turbo_v2_5');
    // Found by the fuzzer: malformed codes answered 500 (Intl threw); they are a 400.
    for (const bad of [['a'], ['1'], ['abcdefghi'], ['zz']]) expect((await put(bad)).statusCode).toBe(400);
  });

  it('turns voicemail detection on with a message (Enterprise), off again, and refuses lower plans', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app, { plan: 'PRO' });
    const put = (payload: object) => app.inject({ method: 'PUT', url: '/api/voicemail', headers: { cookie: owner.cookie }, payload });
    // Nothing saved yet: detection is off.
    expect((await app.inject({ url: '/api/voicemail', headers: { cookie: owner.cookie } })).json()).toEqual({ enabled: false, message: null });
    expect((await put({ enabled: true, message: 'Hi, this is Acme Dental calling about your appointment.' })).statusCode).toBe(403);
    await setPlan(app, owner.organizationId, 'ENTERPRISE');
    const on = await put({ enabled: true, message: 'Hi, this is Acme Dental calling about your appointment.' });
    expect(on.json()).toEqual({ success: true, enabled: true, message: 'Hi, this is Acme Dental calling about your appointment.' });
    expect((await app.ctx.providers.vapi.getAssistant(vapiAssistantId)).voicemail).toEqual({ detect: true, message: 'Hi, this is Acme Dental calling about your appointment.' });
    await put({ enabled: false });
    expect((await app.ctx.providers.vapi.getAssistant(vapiAssistantId)).voicemail?.detect).toBe(false);
    expect((await app.inject({ url: '/api/voicemail', headers: { cookie: owner.cookie } })).json()).toEqual({ enabled: false, message: null });
    expect((await put({ enabled: 'yes' })).statusCode).toBe(400);
  });
});
