import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { injectFault, setPlan, signedInOwner, ownerWithAssistant as makeOwnerWithAssistant } from './helpers/factories.js';
import { sectionBody } from '../src/domain/prompt.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const call = (owner: Owner, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, payload, headers: { cookie: owner.cookie } });
/** What the VAPI emulator holds, read over its real HTTP API. */
const vapiGet = (path: string) =>
  app.inject({ url: `/sandbox/vapi${path}`, headers: { authorization: `Bearer ${t.config.vapi.apiKey}` } });

const ownerWithAssistant = (plan = 'STARTER') => makeOwnerWithAssistant(app, { plan });

describe('knowledge base', () => {
  it('uploads a section as Markdown, attaches one query tool, and names it in the prompt', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    const res = await call(owner, 'PUT', '/api/kb', { sectionKey: 'faqs', text: "Q: What are your hours?\nA: We're open Mon-Fri 9am-5pm." });
    expect(res.statusCode).toBe(200);
    const { section } = res.json();
    expect(section).toMatchObject({ key: 'faqs', fileName: 'faqs.md' });

    const file = (await vapiGet(`/file/${section.vapiFileId}`)).json();
    expect(file.name).toBe('faqs.md');
    const remote = await app.ctx.providers.vapi.getAssistant(vapiAssistantId);
    expect(remote.toolIds).toHaveLength(1);
    const tool = (await vapiGet(`/tool/${remote.toolIds[0]}`)).json();
    expect(tool.knowledgeBases[0].fileIds).toEqual([section.vapiFileId]);
    expect(sectionBody(remote.systemPrompt, 'knowledge')).toBe('Use the knowledge base to answer questions about: FAQs.');

    const kb = (await call(owner, 'GET', '/api/kb')).json();
    expect(kb).toMatchObject({ vapiAssistantId, canEdit: true });
    expect(kb.sections).toEqual([expect.objectContaining({ key: 'faqs', label: 'FAQs', text: "Q: What are your hours?\nA: We're open Mon-Fri 9am-5pm." })]);
  });

  it('replaces a section with a new file and deletes the old one; delete removes tool and file', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    const first = (await call(owner, 'PUT', '/api/kb', { sectionKey: 'services', text: 'Cleanings' })).json().section;
    const second = (await call(owner, 'PUT', '/api/kb', { sectionKey: 'services', text: 'Cleanings and whitening' })).json().section;
    expect(second.vapiFileId).not.toBe(first.vapiFileId);
    expect((await vapiGet(`/file/${first.vapiFileId}`)).statusCode).toBe(404);
    const toolId = (await app.ctx.providers.vapi.getAssistant(vapiAssistantId)).toolIds[0];
    expect((await vapiGet(`/tool/${toolId}`)).json().knowledgeBases[0].fileIds).toEqual([second.vapiFileId]);

    expect((await call(owner, 'DELETE', '/api/kb?section=services')).json()).toEqual({ success: true });
    expect((await vapiGet(`/file/${second.vapiFileId}`)).statusCode).toBe(404);
    const remote = await app.ctx.providers.vapi.getAssistant(vapiAssistantId);
    expect(remote.toolIds).toEqual([]);
    expect(sectionBody(remote.systemPrompt, 'knowledge')).toMatch(/no knowledge base yet/);
    expect((await call(owner, 'DELETE', '/api/kb?section=services')).statusCode).toBe(404);
  });

  it('gates edits below Starter and validates keys and text', async () => {
    const { owner } = await ownerWithAssistant('FREE');
    expect((await call(owner, 'GET', '/api/kb')).json().canEdit).toBe(false);
    expect((await call(owner, 'PUT', '/api/kb', { sectionKey: 'faqs', text: 'x' })).statusCode).toBe(403);
    await setPlan(app, owner.organizationId, 'STARTER');
    expect((await call(owner, 'PUT', '/api/kb', { sectionKey: '../', text: 'x' })).statusCode).toBe(400);
    expect((await call(owner, 'PUT', '/api/kb', { sectionKey: 'faqs', text: '   ' })).statusCode).toBe(400);
    expect((await call(owner, 'DELETE', '/api/kb')).statusCode).toBe(400);
  });

  it('keeps nothing half-done when VAPI fails', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    const before = await app.ctx.providers.vapi.getAssistant(vapiAssistantId);
    await injectFault(app, 'vapi', 500, 10, 0);
    const res = await call(owner, 'PUT', '/api/kb', { sectionKey: 'faqs', text: 'Will not land' });
    await injectFault(app, 'vapi', 500, 0);
    expect(res.statusCode).toBe(502);
    expect((await call(owner, 'GET', '/api/kb')).json().sections).toEqual([]);
    expect((await app.ctx.providers.vapi.getAssistant(vapiAssistantId)).toolIds).toEqual(before.toolIds);
  });

  it("shows nothing of another organization's knowledge base", async () => {
    const a = await ownerWithAssistant();
    await call(a.owner, 'PUT', '/api/kb', { sectionKey: 'pricing', text: 'Secret prices' });
    const b = await ownerWithAssistant();
    expect((await call(b.owner, 'GET', '/api/kb')).json().sections).toEqual([]);
    expect((await call(b.owner, 'DELETE', '/api/kb?section=pricing')).statusCode).toBe(404);
  });
});
