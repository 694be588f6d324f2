import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildListeningApp } from '../helpers/app.js';
import { ProviderError } from '../../src/providers/errors.js';
import { createAnthropicProvider } from '../../src/providers/anthropic/live.js';
import type { AiProvider } from '../../src/providers/anthropic/port.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let ai: AiProvider;
let sandbox: string;

beforeAll(async () => {
  t = await buildListeningApp();
  ai = t.app.ctx.providers.ai;
  sandbox = `${t.baseUrl}/sandbox/anthropic`;
});
afterAll(() => t.close());

const withKey = (anthropicApiKey: string | undefined) =>
  createAnthropicProvider({ config: { ...t.config, anthropicApiKey }, log: t.app.log, baseUrl: sandbox });
const fault = (body: { status: number; count: number; retryAfter?: number }) =>
  fetch(`${sandbox}/_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const post = (headers: Record<string, string>, body: unknown) =>
  fetch(`${sandbox}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => expect.fail('expected a ProviderError'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

const SECTION = 'You are Riley, the receptionist of Acme Dental.   Greet callers warmly.\nNever give medical advice.';
const rewrite = { system: 'You write one section of a system prompt.', prompt: `Rewrite this "persona" section, keeping every fact:\n\n${SECTION}` };

const WEBSITE = `<html><head><title>Acme Dental | Family Dentistry in Springfield</title>
<meta name="description" content="Gentle family dentistry since 1998."></head>
<body><h1>Welcome to Acme Dental</h1><p>Call us at (555) 123-4567 or write to hello@acmedental.com.</p>
<p>Visit 742 Evergreen Terrace Ave, Springfield, IL 62704.</p></body></html>`;

const Business = z.object({
  businessName: z.string(),
  businessType: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  description: z.string().nullable(),
  services: z.array(z.string()),
  acceptsInsurance: z.boolean(),
});

describe('complete', () => {
  it('answers through the SDK, deterministically, with the material it was given', async () => {
    const text = await ai.complete(rewrite);
    expect(text).toBe('You are Riley, the receptionist of Acme Dental. Greet callers warmly. Never give medical advice.');
    expect(await ai.complete(rewrite)).toBe(text);
  });

  it('keeps within max_tokens, cutting at a sentence', async () => {
    expect(await ai.complete({ ...rewrite, maxTokens: 16 })).toBe('You are Riley, the receptionist of Acme Dental.');
  });

  it('answers in the Messages API shape, to x-api-key as well as the Bearer token the SDK sends', async () => {
    const request = { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'Say hello.' }] };
    const auths: Array<Record<string, string>> = [{ 'x-api-key': 'sk-ant-test' }, { authorization: 'Bearer sk-ant-test' }];
    for (const headers of auths) {
      const res = await post({ ...headers, 'anthropic-version': '2023-06-01' }, request);
      expect(res.status).toBe(200);
      expect(res.headers.get('request-id')).toMatch(/^req_/);
      const message = await res.json();
      expect(message).toMatchObject({
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-6',
        content: [{ type: 'text', text: 'Say hello.' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
      });
      expect(message.id).toMatch(/^msg_/);
    }
  });

  it('answers a bad request with invalid_request_error', async () => {
    const res = await post({ 'x-api-key': 'sk-ant-test' }, { model: 'claude-sonnet-4-6', messages: [] });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });
});

describe('extractJson', () => {
  it('asks for structured output and returns the object validated by the schema', async () => {
    const business = await ai.extractJson({ system: 'Read this business website.', prompt: WEBSITE, schema: Business });
    expect(business).toEqual({
      businessName: 'Acme Dental',
      businessType: 'dental clinic',
      phone: '(555) 123-4567',
      email: 'hello@acmedental.com',
      address: '742 Evergreen Terrace Ave, Springfield, IL 62704',
      description: 'Gentle family dentistry since 1998.',
      services: [],
      acceptsInsurance: false,
    });
  });

  it('fills what the text lacks with null or an empty value', async () => {
    const business = await ai.extractJson({ prompt: '<h1>Bob’s Plumbing</h1><p>Fast repairs.</p>', schema: Business });
    expect(business).toMatchObject({ businessName: 'Bob’s Plumbing', businessType: 'plumbing', phone: null, email: null, address: null });
  });

  it('turns an answer that does not fit the schema into a ProviderError', async () => {
    const strict = z.object({ email: z.email() });
    const err = await rejection(ai.extractJson({ prompt: 'No contact details here.', schema: strict }));
    expect(err.message).toMatch(/extractJson/);
  });
});

describe('errors and retries', () => {
  it('401s a wrong key in Anthropic’s error shape', async () => {
    const err = await rejection(withKey('sk-ant-wrong').complete(rewrite));
    expect(err.status).toBe(401);
    expect(err.message).toContain('invalid x-api-key');
    const res = await post({ 'x-api-key': 'sk-ant-wrong' }, {});
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
  });

  it('fails clearly without a key instead of looking for credentials elsewhere', async () => {
    const err = await rejection(withKey(undefined).complete(rewrite));
    expect(err.message).toContain('ANTHROPIC_API_KEY is not set');
  });

  it('honors Retry-After on 429, and retries 529 overloaded, then succeeds', async () => {
    await fault({ status: 429, count: 1, retryAfter: 1 });
    const started = Date.now();
    expect(await ai.complete(rewrite)).toContain('Riley');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    await fault({ status: 529, count: 1 });
    expect(await ai.complete(rewrite)).toContain('Riley');
  });

  it('retries 5xx with backoff and gives up with the last status', async () => {
    await fault({ status: 500, count: 3 });
    expect((await rejection(ai.complete(rewrite))).status).toBe(500);
  });
});
