import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { injectFault, setPlan, signedInOwner, ownerWithAssistant as makeOwnerWithAssistant } from './helpers/factories.js';
import { parsePrompt, sectionBody, userText } from '../src/domain/prompt.js';
import { findOrganizationName } from '../src/modules/assistants/assistants.repo.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const call = (owner: Owner, method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, payload, headers: { cookie: owner.cookie } });

const ownerWithAssistant = (plan = 'PRO') =>
  makeOwnerWithAssistant(app, {
    plan,
    organizationName: 'Acme Dental',
    spec: {
      systemPrompt: 'Be kind to every caller.',
      firstMessage: 'Hi! Thanks for calling Acme Dental. This is Reception AI.',
      firstMessageMode: 'assistant-speaks-first',
      tools: [{ type: 'endCall' }],
    },
  });

const remotePrompt = async (vapiId: string) => (await app.ctx.providers.vapi.getAssistant(vapiId)).systemPrompt;

describe('assistants', () => {
  it('registers a VAPI assistant, lists it, renames and deletes it', async () => {
    const { owner, remote, assistant } = await ownerWithAssistant();
    expect(assistant).toMatchObject({ vapiAssistantId: remote.id, name: 'Reception AI', status: 'ACTIVE', callCount: 0 });

    const list = await call(owner, 'GET', '/api/assistants');
    expect(list.json()).toEqual({ assistants: [assistant], phoneNumber: null });

    const renamed = await call(owner, 'PATCH', `/api/assistants/${assistant.id}`, { name: 'Front Desk' });
    expect(renamed.json().assistant.name).toBe('Front Desk');
    expect((await app.ctx.providers.vapi.getAssistant(remote.id)).name).toBe('Front Desk');

    expect((await call(owner, 'DELETE', `/api/assistants/${assistant.id}`)).json()).toEqual({ success: true });
    expect((await call(owner, 'GET', '/api/assistants')).json().assistants).toEqual([]);
    await expect(app.ctx.providers.vapi.getAssistant(remote.id)).rejects.toMatchObject({ status: 404 });
  });

  it('keeps the registered prompt and adds every managed section once', async () => {
    const { owner } = await ownerWithAssistant();
    const prompt = (await call(owner, 'GET', '/api/prompt')).json().systemPrompt as string;
    expect(userText(prompt)).toContain('Be kind to every caller.');
    expect(parsePrompt(prompt).filter((p) => p.kind === 'section')).toHaveLength(7);
  });

  it('answers 409 for a VAPI assistant already registered, 400 for one VAPI lacks', async () => {
    const { owner, remote } = await ownerWithAssistant('ENTERPRISE');
    expect((await call(owner, 'POST', '/api/assistants', { vapiAssistantId: remote.id, name: 'Again' })).statusCode).toBe(409);
    const missing = await call(owner, 'POST', '/api/assistants', { vapiAssistantId: 'asst_does_not_exist', name: 'X' });
    expect(missing.statusCode).toBe(400);
  });

  it("enforces the plan's assistant limit", async () => {
    const { owner } = await ownerWithAssistant('STARTER');
    const second = await app.ctx.providers.vapi.createAssistant({ name: 'Second', systemPrompt: 'x' });
    const res = await call(owner, 'POST', '/api/assistants', { vapiAssistantId: second.id, name: 'Second' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatch(/allows 1 assistant/);
  });

  it("answers 404 for another organization's assistant and changes nothing", async () => {
    const { assistant } = await ownerWithAssistant();
    const stranger = await signedInOwner(app);
    await setPlan(app, stranger.organizationId, 'PRO');
    expect((await call(stranger, 'PATCH', `/api/assistants/${assistant.id}`, { name: 'Stolen' })).statusCode).toBe(404);
    expect((await call(stranger, 'DELETE', `/api/assistants/${assistant.id}`)).statusCode).toBe(404);
    expect((await call(stranger, 'GET', '/api/prompt')).statusCode).toBe(404);
  });

  it('requires a session', async () => {
    expect((await app.inject('/api/assistants')).statusCode).toBe(401);
  });
});

describe('assistant name and greeting', () => {
  it('reads an organization’s name for the prompt; an id that names none reads as no name', async () => {
    const owner = await signedInOwner(app, { organizationName: 'Bright Smiles' });
    expect(await findOrganizationName(app.ctx.db, owner.organizationId)).toBe('Bright Smiles');
    expect(await findOrganizationName(app.ctx.db, '00000000-0000-4000-8000-000000000000')).toBe('');
  });

  it('renames on Pro: persona section, greeting and VAPI follow', async () => {
    const { owner, remote } = await ownerWithAssistant('PRO');
    expect((await call(owner, 'GET', '/api/assistant-name')).json()).toEqual({ name: 'Reception AI', defaultName: 'Savannah', canEdit: true });
    expect((await call(owner, 'PUT', '/api/assistant-name', { name: 'Alex' })).json()).toEqual({ success: true });
    const greeting = (await call(owner, 'GET', '/api/first-message-mode')).json();
    expect(greeting.firstMessage).toBe('Hi! Thanks for calling Acme Dental. This is Alex.');
    expect(sectionBody(await remotePrompt(remote.id), 'persona')).toContain('You are Alex');
  });

  it('refuses renaming below Pro and names outside 2-30 characters', async () => {
    const { owner } = await ownerWithAssistant('ADVANCED');
    expect((await call(owner, 'GET', '/api/assistant-name')).json().canEdit).toBe(false);
    const gated = await call(owner, 'PUT', '/api/assistant-name', { name: 'Alex' });
    expect(gated.statusCode).toBe(403);
    expect(gated.json().code).toBe('PLAN_REQUIRED');
    const pro = await ownerWithAssistant('PRO');
    expect((await call(pro.owner, 'PUT', '/api/assistant-name', { name: 'A' })).statusCode).toBe(400);
    expect((await call(pro.owner, 'PUT', '/api/assistant-name', { name: 'A'.repeat(31) })).statusCode).toBe(400);
  });

  it('changes the greeting mode and requires a message when the assistant speaks first', async () => {
    const { owner, remote } = await ownerWithAssistant('FREE');
    const waits = await call(owner, 'PUT', '/api/first-message-mode', { mode: 'assistant-waits-for-user' });
    expect(waits.statusCode).toBe(200);
    expect((await app.ctx.providers.vapi.getAssistant(remote.id)).firstMessageMode).toBe('assistant-waits-for-user');
    expect((await call(owner, 'PUT', '/api/first-message-mode', { mode: 'assistant-speaks-first' })).statusCode).toBe(400);
    expect((await call(owner, 'PUT', '/api/first-message-mode', { mode: 'shout' })).statusCode).toBe(400);
    const speaks = await call(owner, 'PUT', '/api/first-message-mode', { mode: 'assistant-speaks-first', firstMessage: 'Welcome! How can I help?' });
    expect(speaks.statusCode).toBe(200);
    expect((await call(owner, 'GET', '/api/first-message-mode')).json()).toEqual({
      mode: 'assistant-speaks-first',
      firstMessage: 'Welcome! How can I help?',
    });
  });
});

describe('business settings', () => {
  it('rewrites only the hours section, in words, keeping the user text and tools', async () => {
    const { owner, remote } = await ownerWithAssistant('FREE');
    const before = await remotePrompt(remote.id);
    const res = await call(owner, 'PUT', '/api/business-hours', {
      businessHours: {
        monday: { open: '09:00', close: '17:00', closed: false },
        tuesday: { open: '09:00', close: '17:00', closed: false },
        wednesday: { open: '09:00', close: '17:00', closed: false },
        thursday: { open: '09:00', close: '17:00', closed: false },
        friday: { open: '09:00', close: '17:00', closed: false },
        saturday: { closed: true },
      },
      timezone: 'America/Los_Angeles',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: true, timezone: 'America/Los_Angeles' });
    const after = await remotePrompt(remote.id);
    expect(sectionBody(after, 'hours')).toBe('Business hours (America/Los_Angeles time): Monday to Friday, 9 AM to 5 PM; closed Saturday to Sunday.');
    expect(userText(after)).toBe(userText(before));
    expect(sectionBody(after, 'address')).toBe(sectionBody(before, 'address'));
    expect((await app.ctx.providers.vapi.getAssistant(remote.id)).tools).toEqual([{ type: 'endCall' }]);
    expect((await call(owner, 'GET', '/api/business-hours')).json().businessHours.monday).toEqual({ open: '09:00', close: '17:00', closed: false });
  });

  it('validates hours and time zones', async () => {
    const owner = await signedInOwner(app);
    const bad = async (body: object) => (await call(owner, 'PUT', '/api/business-hours', body)).statusCode;
    expect(await bad({ businessHours: { monday: { open: '17:00', close: '09:00' } } })).toBe(400);
    expect(await bad({ businessHours: { monday: { open: '9am', close: '5pm' } } })).toBe(400);
    expect(await bad({ businessHours: {}, timezone: 'Mars/Base' })).toBe(400);
  });

  it('stores info and address before any assistant exists, and writes them into the prompt after', async () => {
    const owner = await signedInOwner(app);
    const info = await call(owner, 'PUT', '/api/business-info', {
      businessType: 'dental_office',
      businessDescription: 'Family dental practice since 1998.',
      websiteUrl: 'https://acmedental.example',
    });
    expect(info.json()).toEqual({
      success: true,
      businessType: 'dental_office',
      businessDescription: 'Family dental practice since 1998.',
      websiteUrl: 'https://acmedental.example',
    });
    expect((await call(owner, 'PUT', '/api/business-info', { websiteUrl: 'javascript:alert(1)' })).statusCode).toBe(400);
    const address = await call(owner, 'PUT', '/api/business-address', { businessAddress: '123 Main St, San Francisco, CA 94102' });
    expect(address.json()).toEqual({ success: true, businessAddress: '123 Main St, San Francisco, CA 94102' });
    expect((await call(owner, 'GET', '/api/business-address')).json()).toEqual({ businessAddress: '123 Main St, San Francisco, CA 94102' });

    const remote = await app.ctx.providers.vapi.createAssistant({ name: 'R', systemPrompt: '' });
    await call(owner, 'POST', '/api/assistants', { vapiAssistantId: remote.id, name: 'R' });
    const prompt = (await call(owner, 'GET', '/api/prompt')).json().systemPrompt;
    expect(sectionBody(prompt, 'context')).toContain('is a dental office.');
    expect(sectionBody(prompt, 'address')).toBe('The business is located at 123 Main St, San Francisco, CA 94102.');
  });

  it('leaves everything as it was when VAPI fails (502)', async () => {
    const { owner, remote } = await ownerWithAssistant('FREE');
    const before = await remotePrompt(remote.id);
    await injectFault(app, 'vapi', 500, 10);
    const res = await call(owner, 'PUT', '/api/business-address', { businessAddress: '1 Failure Way' });
    await injectFault(app, 'vapi', 500, 0);
    expect(res.statusCode).toBe(502);
    expect(res.json().code).toBe('PROVIDER_ERROR');
    expect((await call(owner, 'GET', '/api/business-address')).json()).toEqual({ businessAddress: null });
    expect((await call(owner, 'GET', '/api/prompt')).json().systemPrompt).toBe(before);
    expect(await remotePrompt(remote.id)).toBe(before);
  });
});

describe('prompt and versions', () => {
  it('overwrites the prompt on Advanced, restores deleted sections, keeps tools, and versions every change', async () => {
    const { owner, remote } = await ownerWithAssistant('ADVANCED');
    const put = await call(owner, 'PUT', '/api/prompt', { systemPrompt: 'Only my words now.' });
    expect(put.statusCode).toBe(200);
    const prompt = (await call(owner, 'GET', '/api/prompt')).json();
    expect(prompt).toMatchObject({ assistantName: 'Reception AI', vapiAssistantId: remote.id, canEdit: true });
    expect(prompt.systemPrompt.startsWith('Only my words now.')).toBe(true);
    expect(parsePrompt(prompt.systemPrompt).filter((p) => p.kind === 'section')).toHaveLength(7);
    expect((await app.ctx.providers.vapi.getAssistant(remote.id)).tools).toEqual([{ type: 'endCall' }]);

    const versions = (await call(owner, 'GET', '/api/prompt/versions')).json().versions;
    expect(versions.map((v: { reason: string }) => v.reason)).toEqual(['edit', 'initial']);
    expect(versions[0].userId).toBe(owner.userId);

    const restored = await call(owner, 'POST', `/api/prompt/versions/${versions[1].id}/restore`);
    expect(restored.json().systemPrompt).toBe(versions[1].systemPrompt);
    expect(await remotePrompt(remote.id)).toBe(versions[1].systemPrompt);
    expect((await call(owner, 'GET', '/api/prompt/versions')).json().versions[0].reason).toBe('restore');
  });

  it('gates prompt edits below Advanced and hides versions of other organizations', async () => {
    const { owner } = await ownerWithAssistant('STARTER');
    expect((await call(owner, 'GET', '/api/prompt')).json().canEdit).toBe(false);
    expect((await call(owner, 'PUT', '/api/prompt', { systemPrompt: 'x' })).statusCode).toBe(403);
    expect((await call(owner, 'POST', '/api/prompt/regenerate', {})).statusCode).toBe(403);
    const versionId = (await call(owner, 'GET', '/api/prompt/versions')).json().versions[0].id;
    const other = await ownerWithAssistant('ADVANCED');
    expect((await call(other.owner, 'POST', `/api/prompt/versions/${versionId}/restore`)).statusCode).toBe(404);
    expect((await call(other.owner, 'PUT', '/api/prompt', { systemPrompt: '   ' })).statusCode).toBe(400);
  });

  it('regenerates persona and context by default, keeping the other sections', async () => {
    const { owner } = await ownerWithAssistant('ADVANCED');
    const before = (await call(owner, 'GET', '/api/prompt')).json().systemPrompt;
    const res = await call(owner, 'POST', '/api/prompt/regenerate', {});
    expect(res.statusCode).toBe(200);
    expect(res.json().regenerated).toEqual(['persona', 'context']);
    expect(sectionBody(res.json().systemPrompt, 'hours')).toBe(sectionBody(before, 'hours'));
    expect(sectionBody(res.json().systemPrompt, 'persona')!.length).toBeGreaterThan(20);
    expect((await call(owner, 'POST', '/api/prompt/regenerate', { sections: ['nonsense'] })).statusCode).toBe(400);
  });

  it('falls back to the template when the model fails', async () => {
    const { owner } = await ownerWithAssistant('ADVANCED');
    await injectFault(app, 'anthropic', 500, 10);
    const res = await call(owner, 'POST', '/api/prompt/regenerate', { sections: ['persona'] });
    await injectFault(app, 'anthropic', 500, 0);
    expect(res.statusCode).toBe(200);
    expect(sectionBody(res.json().systemPrompt, 'persona')).toMatch(/^You are Reception AI, the friendly AI receptionist for Acme Dental\./);
  });
});

describe('voice', () => {
  it('serves the catalog publicly with a 24 h cache header', async () => {
    const res = await app.inject('/api/voice/catalog');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect(res.json().length).toBeGreaterThan(5);
    expect(res.json()[0]).toEqual({ id: expect.any(String), name: expect.any(String), gender: expect.any(String), desc: expect.any(String), previewUrl: expect.any(String) });
  });

  it('changes the voice on Advanced and refuses unknown voices and lower plans', async () => {
    const { owner, remote } = await ownerWithAssistant('ADVANCED');
    const voice = (await app.inject('/api/voice/catalog')).json()[1];
    const unknown = await call(owner, 'PUT', '/api/voice', { voiceId: 'nope' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().details).toEqual([{ field: 'body.voiceId', message: expect.stringMatching(/Unknown voice nope/) }]);
    expect((await call(owner, 'PUT', '/api/voice', { voiceId: voice.id, voiceName: voice.name })).statusCode).toBe(200);
    expect((await call(owner, 'GET', '/api/voice')).json()).toEqual({ provider: 'elevenlabs', voiceId: voice.id, voiceName: voice.name, canEdit: true });
    expect((await app.ctx.providers.vapi.getAssistant(remote.id)).voiceId).toBe(voice.id);
    const starter = await ownerWithAssistant('STARTER');
    expect((await call(starter.owner, 'PUT', '/api/voice', { voiceId: voice.id })).statusCode).toBe(403);
  });
});
