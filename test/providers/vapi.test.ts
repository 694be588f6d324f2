import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListeningApp } from '../helpers/app.js';
import { ProviderError } from '../../src/providers/errors.js';
import { createVapiProvider } from '../../src/providers/vapi/live.js';
import type { AssistantSpec, VapiProvider } from '../../src/providers/vapi/port.js';
import { verifyVapiRequest, VapiServerMessage } from '../../src/providers/vapi/webhook.js';
import { parseEndOfCallReport } from '../../src/domain/calls.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let vapi: VapiProvider;
let sandbox: string;

beforeAll(async () => {
  t = await buildListeningApp();
  vapi = t.app.ctx.providers.vapi;
  sandbox = `${t.baseUrl}/sandbox/vapi`;
});
afterAll(() => t.close());

/** The emulator over plain HTTP, with our key unless told otherwise. */
const raw = (path: string, init: RequestInit & { key?: string } = {}) =>
  fetch(`${sandbox}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${init.key ?? t.config.vapi.apiKey}`, 'content-type': 'application/json', ...init.headers },
  });
const fault = (body: { status: number; count: number; retryAfter?: number }) => raw('/_faults', { method: 'POST', body: JSON.stringify(body) });
const simulate = async (body: Record<string, unknown>) => {
  const res = await fetch(`${sandbox}/simulate-call`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as { callId: string; deliveries: Array<{ type: string; status: number | null }> };
};
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a ProviderError'),
    (err: unknown) => {
      expect(err).toBeInstanceOf(ProviderError);
      return err as ProviderError;
    },
  );

const spec = (overrides: Partial<AssistantSpec> = {}): AssistantSpec => ({
  name: 'Acme Dental',
  systemPrompt: 'You are the receptionist of Acme Dental.',
  firstMessage: 'Thanks for calling Acme Dental!',
  firstMessageMode: 'assistant-speaks-first',
  voiceId: '21m00Tcm4TlvDq8ikWAM',
  tools: [
    {
      type: 'function',
      name: 'book_appointment',
      description: 'Books a visit',
      parameters: { type: 'object', properties: { start: { type: 'string' } }, required: ['start'] },
    },
    { type: 'transferCall', destinations: [{ number: '+15550001111', mode: 'blind-transfer', message: 'Transferring you now.' }] },
    { type: 'endCall' },
  ],
  metadata: { organizationId: 'org_1' },
  ...overrides,
});

describe('assistants', () => {
  it('creates, reads, updates and deletes an assistant with the SDK over HTTP', async () => {
    const created = await vapi.createAssistant(spec({ server: { url: 'https://hooks.example.com/vapi', secret: 's3cret' } }));
    expect(created).toMatchObject({
      name: 'Acme Dental',
      systemPrompt: 'You are the receptionist of Acme Dental.',
      firstMessage: 'Thanks for calling Acme Dental!',
      firstMessageMode: 'assistant-speaks-first',
      voiceId: '21m00Tcm4TlvDq8ikWAM',
      llm: { provider: 'openai', model: 'gpt-4o' },
      server: { url: 'https://hooks.example.com/vapi', secret: 's3cret' },
      metadata: { organizationId: 'org_1' },
      toolIds: [],
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.tools).toEqual(spec().tools);

    // VAPI's wire fields: the system prompt is model.messages[0], the voice is 11labs.
    const wire = await (await raw(`/assistant/${created.id}`)).json();
    expect(wire.model.messages).toEqual([{ role: 'system', content: 'You are the receptionist of Acme Dental.' }]);
    expect(wire.voice).toEqual({ provider: '11labs', voiceId: '21m00Tcm4TlvDq8ikWAM' });
    expect(wire.server).toEqual({ url: 'https://hooks.example.com/vapi', headers: { 'x-vapi-secret': 's3cret' } });

    expect(await vapi.getAssistant(created.id)).toEqual(created);

    // A prompt-only change must resend the whole model, or VAPI would drop the tools.
    const reprompted = await vapi.updateAssistant(created.id, { systemPrompt: 'New prompt.' });
    expect(reprompted.systemPrompt).toBe('New prompt.');
    expect(reprompted.tools).toEqual(spec().tools);
    const renamed = await vapi.updateAssistant(created.id, { name: 'Acme Dental West', firstMessageMode: 'assistant-waits-for-user' });
    expect(renamed).toMatchObject({ name: 'Acme Dental West', firstMessageMode: 'assistant-waits-for-user', systemPrompt: 'New prompt.' });
    expect(renamed.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    await vapi.deleteAssistant(created.id);
    const gone = await rejection(vapi.getAssistant(created.id));
    expect(gone.status).toBe(404);
    expect(gone.notFound).toBe(true);
  });

  it('answers an unknown assistant with a 404 in VAPI shape', async () => {
    const err = await rejection(vapi.getAssistant('00000000-0000-4000-8000-000000000000'));
    expect(err.status).toBe(404);
    const res = await raw('/assistant/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Assistant not found', error: 'Not Found', statusCode: 404 });
  });

  it('refuses invalid input with a 400 listing the fields, in VAPI shape', async () => {
    const err = await rejection(vapi.createAssistant(spec({ name: 'x'.repeat(41) })));
    expect(err.status).toBe(400);
    expect(err.message).toContain('name');
    const res = await raw('/assistant', { method: 'POST', body: JSON.stringify({ firstMessageMode: 'shout' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: [expect.stringContaining('firstMessageMode')], error: 'Bad Request', statusCode: 400 });
  });
});

describe('files and the knowledge-base tool', () => {
  it('uploads multipart files, builds a query tool over them, attaches it, updates and deletes', async () => {
    const faq = await vapi.uploadFile({ name: 'faq.txt', content: 'We open at 9.', contentType: 'text/plain' });
    expect(faq).toMatchObject({ name: 'faq.txt', status: 'done' });
    expect(await (await fetch(faq.url)).text()).toBe('We open at 9.');
    const prices = await vapi.uploadFile({ name: 'prices.md', content: new TextEncoder().encode('# Cleaning $99') });

    const tool = await vapi.createKnowledgeBaseTool({ name: 'knowledge_base', description: 'Facts about Acme', fileIds: [faq.id] });
    expect(tool).toEqual({ id: expect.any(String), name: 'knowledge_base', fileIds: [faq.id] });
    const wire = await (await raw(`/tool/${tool.id}`)).json();
    expect(wire).toMatchObject({
      type: 'query',
      knowledgeBases: [{ provider: 'google', name: 'knowledge_base', description: 'Facts about Acme', fileIds: [faq.id] }],
    });
    // CreateQueryToolDTO has no `function`: the tool is named by its knowledge base.
    expect(wire).not.toHaveProperty('function');

    const assistant = await vapi.createAssistant(spec());
    const attached = await vapi.updateAssistant(assistant.id, { toolIds: [tool.id] });
    expect(attached.toolIds).toEqual([tool.id]);
    expect(attached.tools).toEqual(spec().tools);

    const updated = await vapi.updateKnowledgeBaseTool(tool.id, { name: 'knowledge_base', description: 'Facts about Acme', fileIds: [faq.id, prices.id] });
    expect(updated.fileIds).toEqual([faq.id, prices.id]);

    expect((await rejection(vapi.createKnowledgeBaseTool({ name: 'kb', description: 'x', fileIds: ['missing'] }))).status).toBe(400);

    await vapi.updateAssistant(assistant.id, { toolIds: [] });
    await vapi.deleteTool(tool.id);
    expect((await raw(`/tool/${tool.id}`)).status).toBe(404);
    await vapi.deleteFile(faq.id);
    expect((await raw(`/file/${faq.id}`)).status).toBe(404);
    expect((await rejection(vapi.deleteFile(faq.id))).status).toBe(404);
  });
});

describe('phone numbers and calls', () => {
  it('imports a Twilio number, dials out, plays the call, then reads and lists it', async () => {
    const assistant = await vapi.createAssistant(spec());
    const phone = await vapi.importTwilioNumber({
      number: '+15557770001',
      twilioAccountSid: t.config.twilio.accountSid!,
      twilioAuthToken: t.config.twilio.authToken!,
      assistantId: assistant.id,
      name: 'Main line',
    });
    expect(phone).toMatchObject({ number: '+15557770001', assistantId: assistant.id, status: 'active' });
    const stored = await (await raw(`/phone-number/${phone.id}`)).json();
    expect(stored).toMatchObject({ provider: 'twilio', smsEnabled: false });
    expect(stored).not.toHaveProperty('twilioAuthToken');

    const before = new Date(Date.now() - 1000);
    const queued = await vapi.createOutboundCall({ assistantId: assistant.id, phoneNumberId: phone.id, customerNumber: '+15551234567' });
    expect(queued).toMatchObject({ type: 'outboundPhoneCall', status: 'queued', assistantId: assistant.id, phoneNumberId: phone.id, customerNumber: '+15551234567' });
    expect(queued.durationSeconds).toBeUndefined();

    const played = await simulate({ callId: queued.id, durationSeconds: 95, summary: 'Confirmed the Tuesday visit.' });
    expect(played.callId).toBe(queued.id);
    const ended = await vapi.getCall(queued.id);
    expect(ended).toMatchObject({ status: 'ended', durationSeconds: 95, endedReason: 'customer-ended-call', summary: 'Confirmed the Tuesday visit.' });
    expect(ended.transcript).toContain('AI: Thanks for calling Acme Dental!');
    expect(ended.recordingUrl).toMatch(/\/mono\.wav$/);
    expect((await fetch(ended.recordingUrl!)).headers.get('content-type')).toBe('audio/wav');
    expect(ended.cost).toBeGreaterThan(0);

    const inbound = await simulate({ assistantId: assistant.id, customerNumber: '+15559998888', durationSeconds: 30 });
    const recent = await vapi.listCalls({ createdAfter: before, assistantId: assistant.id });
    expect(recent.map((c) => c.id)).toEqual([inbound.callId, queued.id]);
    expect(recent[0]).toMatchObject({ type: 'inboundPhoneCall', phoneNumberId: phone.id, customerNumber: '+15559998888', durationSeconds: 30 });
    expect((await vapi.listCalls({ createdAfter: before, assistantId: assistant.id, limit: 1 })).map((c) => c.id)).toEqual([inbound.callId]);
    expect(await vapi.listCalls({ createdAfter: new Date(Date.now() + 60_000) })).toEqual([]);

    await vapi.deletePhoneNumber(phone.id);
    expect((await raw(`/phone-number/${phone.id}`)).status).toBe(404);
  });

  it('answers an unknown call with 404', async () => {
    expect((await rejection(vapi.getCall('00000000-0000-4000-8000-000000000000'))).notFound).toBe(true);
  });
});

describe('errors and retries', () => {
  it('rejects a wrong key with VAPI’s 401', async () => {
    const config = { ...t.config, vapi: { ...t.config.vapi, apiKey: 'wrong-key' } };
    const intruder = createVapiProvider({ config, log: t.app.log, baseUrl: sandbox });
    expect((await rejection(intruder.getAssistant('any'))).status).toBe(401);
    const res = await raw('/assistant/any', { key: 'wrong-key' });
    expect(await res.json()).toEqual({
      message: 'Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.',
      error: 'Unauthorized',
      statusCode: 401,
    });
  });

  it('retries a 429 after its Retry-After, then succeeds', async () => {
    const assistant = await vapi.createAssistant(spec());
    await fault({ status: 429, count: 1, retryAfter: 1 });
    const started = Date.now();
    expect((await vapi.getAssistant(assistant.id)).id).toBe(assistant.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('retries a 5xx with backoff, then succeeds', async () => {
    const assistant = await vapi.createAssistant(spec());
    await fault({ status: 503, count: 1 });
    const started = Date.now();
    expect((await vapi.updateAssistant(assistant.id, { name: 'After outage' })).name).toBe('After outage');
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
  });

  it('never repeats an outbound call after a 5xx (it may have dialed), but does after a 429', async () => {
    const assistant = await vapi.createAssistant(spec());
    const phone = await vapi.importTwilioNumber({ number: '+15557770002', twilioAccountSid: 'AC1', twilioAuthToken: 'x', assistantId: assistant.id });
    const dial = () => vapi.createOutboundCall({ assistantId: assistant.id, phoneNumberId: phone.id, customerNumber: '+15551230000' });
    await fault({ status: 503, count: 1 });
    expect((await rejection(dial())).status).toBe(503);
    await fault({ status: 429, count: 1, retryAfter: 0 });
    expect((await dial()).status).toBe('queued');
    expect(await vapi.listCalls({ assistantId: assistant.id })).toHaveLength(1);
  });
});

describe('server messages (webhooks)', () => {
  const post = (headers: Record<string, string>, message: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/webhooks/vapi', headers, payload: { message } });

  it('verifies the secret from x-vapi-secret or a Bearer token, in constant time', () => {
    expect(verifyVapiRequest({ 'x-vapi-secret': 'abc' }, 'abc')).toBe(true);
    expect(verifyVapiRequest({ authorization: 'Bearer abc' }, 'abc')).toBe(true);
    expect(verifyVapiRequest({ 'x-vapi-secret': 'abd' }, 'abc')).toBe(false);
    expect(verifyVapiRequest({ 'x-vapi-secret': 'abc' }, undefined)).toBe(false);
    expect(verifyVapiRequest({}, 'abc')).toBe(false);
  });

  // The secret is checked on the raw body, before it is parsed: a stranger's body is never parsed.
  it('refuses a body without the secret before parsing it: 401 even when it is not JSON', async () => {
    const send = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/api/webhooks/vapi', headers: { 'content-type': 'application/json', ...headers }, payload: '{"message": ' });
    expect((await send({ 'x-vapi-secret': 'wrong' })).statusCode).toBe(401);
    expect((await send({})).statusCode).toBe(401);
    const bad = await send({ 'x-vapi-secret': t.config.vapi.webhookSecret! });
    expect([bad.statusCode, bad.json().error]).toEqual([400, 'Body is not valid JSON']);
  });

  it('delivers every message of a simulated call to our route, which verifies and answers them', async () => {
    const assistant = await vapi.createAssistant(spec());
    const played = await simulate({ assistantId: assistant.id, toolCalls: [{ name: 'book_appointment', arguments: { start: '2026-01-06T15:00:00Z' } }] });
    expect(played.deliveries).toEqual([
      { type: 'status-update', status: 200 },
      { type: 'tool-calls', status: 200 },
      { type: 'status-update', status: 200 },
      { type: 'end-of-call-report', status: 200 },
    ]);
    const call = await (await raw(`/call/${played.callId}`)).json();
    const result = call.artifact.messages.find((m: { role: string }) => m.role === 'tool_call_result');
    // Our route's answer (whatever the Calls group makes it) is what the call recorded.
    expect(result).toMatchObject({ name: 'book_appointment', result: expect.any(String) });
    expect(result.result).not.toBe('No result returned.');
  });

  it('refuses a wrong or missing secret with 401 and the uniform error body', async () => {
    const wrong = await post({ 'x-vapi-secret': 'tampered' }, { type: 'status-update', status: 'ended' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: 'Invalid VAPI webhook secret', code: 'UNAUTHORIZED' });
    expect((await post({}, { type: 'status-update' })).statusCode).toBe(401);
    const bearer = await post({ authorization: `Bearer ${t.config.vapi.webhookSecret}` }, { type: 'status-update', status: 'ringing' });
    expect(bearer.statusCode).toBe(200);
    expect(bearer.json()).toEqual({ received: true });
  });

  it('answers tool-calls with one result per call, arguments as object or JSON string', async () => {
    const res = await post({ 'x-vapi-secret': t.config.vapi.webhookSecret! }, {
      type: 'tool-calls',
      call: { id: 'call_1' },
      toolCallList: [
        { id: 'toolu_01', type: 'function', function: { name: 'book_appointment', arguments: '{"start":"2026-01-06T15:00:00Z"}' } },
        { id: 'toolu_02', type: 'function', function: { name: 'check_availability', arguments: { day: 'Tuesday' } } },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results).toEqual([
      // No assistant of ours on this call: each tool answers a single-line error, still HTTP 200.
      { toolCallId: 'toolu_01', name: 'book_appointment', error: expect.any(String) },
      { toolCallId: 'toolu_02', name: 'check_availability', error: expect.any(String) },
    ]);
  });

  describe('sent to an assistant’s own server', () => {
    let server: Server;
    const received: Array<{ headers: IncomingHttpHeaders; body: { message: Record<string, unknown> } }> = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        let data = '';
        req.on('data', (chunk) => (data += chunk));
        req.on('end', () => {
          const body = JSON.parse(data);
          received.push({ headers: req.headers, body });
          const calls = (body.message.toolCallList ?? []) as Array<{ id: string; function: { name: string } }>;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(body.message.type === 'tool-calls' ? { results: calls.map((c) => ({ toolCallId: c.id, name: c.function.name, result: 'Booked Tue 3 PM.' })) } : {}));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('signs with the assistant’s secret and sends the end-of-call report in VAPI’s shape', async () => {
      const { port } = server.address() as { port: number };
      const assistant = await vapi.createAssistant(spec({ server: { url: `http://127.0.0.1:${port}/hook`, secret: 'assistant-secret' } }));
      const played = await simulate({
        assistantId: assistant.id,
        customerNumber: '+15551234567',
        durationSeconds: 192,
        toolCalls: [{ name: 'book_appointment', arguments: { start: 'Tue 3pm' } }],
        transcript: 'AI: Thanks for calling Acme\nUser: I need a cleaning',
      });
      expect(received.map((r) => r.body.message.type)).toEqual(['status-update', 'tool-calls', 'status-update', 'end-of-call-report']);
      for (const { headers } of received) {
        expect(verifyVapiRequest(headers, 'assistant-secret')).toBe(true);
        expect(verifyVapiRequest({ ...headers, 'x-vapi-secret': 'assistant-secreT' }, 'assistant-secret')).toBe(false);
      }

      const report = VapiServerMessage.parse(received[3]!.body.message);
      expect(report).toMatchObject({
        endedReason: 'customer-ended-call',
        call: { id: played.callId, type: 'inboundPhoneCall', status: 'ended', assistantId: assistant.id, customer: { number: '+15551234567' } },
        artifact: {
          transcript: 'AI: Thanks for calling Acme\nUser: I need a cleaning',
          recording: { stereoUrl: expect.stringMatching(/stereo\.wav$/), mono: { combinedUrl: expect.stringMatching(/mono\.wav$/) } },
        },
        analysis: { summary: expect.any(String) },
      });
      expect(report).not.toHaveProperty('durationSeconds');
      const messages = (report.artifact as { messages: Array<Record<string, unknown>> }).messages;
      expect(messages.map((m) => m.role).sort()).toEqual(['bot', 'system', 'tool_call_result', 'tool_calls', 'user']);
      expect(messages.find((m) => m.role === 'tool_call_result')).toMatchObject({ name: 'book_appointment', result: 'Booked Tue 3 PM.' });
      const times = messages.map((m) => m.secondsFromStart as number);
      expect(times).toEqual([...times].sort((a, b) => a - b));

      const call = parseEndOfCallReport(report);
      expect(call).toMatchObject({ vapiCallId: played.callId, durationSeconds: 192, customerNumber: '+15551234567', transcript: 'AI: Thanks for calling Acme\nUser: I need a cleaning' });
      expect(await vapi.getCall(played.callId)).toMatchObject({ status: 'ended', durationSeconds: 192, summary: call!.summary });
    });

    it('keeps an undelivered call for the sync job: no end-of-call report, but listed as ended', async () => {
      received.length = 0;
      const { port } = server.address() as { port: number };
      const assistant = await vapi.createAssistant(spec({ server: { url: `http://127.0.0.1:${port}/hook`, secret: 'x' } }));
      const played = await simulate({ assistantId: assistant.id, durationSeconds: 61, deliver: false });
      expect(played.deliveries.map((d) => d.type)).toEqual(['status-update', 'status-update']);
      expect(received.map((r) => r.body.message.type)).not.toContain('end-of-call-report');
      const [missed] = await vapi.listCalls({ assistantId: assistant.id });
      expect(missed).toMatchObject({ id: played.callId, status: 'ended', durationSeconds: 61 });
    });
  });
});
