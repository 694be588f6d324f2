import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListeningApp } from '../helpers/app.js';
import { checkExchanges, explain, loadContract, tapOn, validators, type KnownError } from './contract.js';
import { VAPI_MESSAGES, VAPI_OPERATIONS } from './operations.js';

/**
 * Our VAPI client and the VAPI emulator held to VAPI's published OpenAPI: every request the
 * client sends (recorded at the emulator) against the request schema, closed, as VAPI's API
 * refuses undeclared properties; every answer and server message against the response schemas.
 */
const contract = loadContract('vapi');

/** Mismatches that are the spec's, not ours. */
const KNOWN: KnownError[] = [
  {
    operation: 'PATCH /tool/{id}',
    path: /^request \/ must (NOT have additional properties \{"additionalProperty":"type"\}|match "then" schema)/,
    reason:
      'the body is a oneOf discriminated by `type`, yet UpdateQueryToolDTO does not declare `type`; VAPI\'s own SDK ' +
      '(@vapi-ai/server-sdk UpdateToolsRequestBody.Query) sends `type: "query"`, so we do too',
    link: 'https://github.com/tryAGI/Vapi/blob/main/src/libs/Vapi/openapi.yaml (UpdateQueryToolDTO; PATCH /tool/{id} discriminator)',
  },
];

describe.skipIf(!contract)(`VAPI contract (${contract?.source.repo}@${contract?.source.commit.slice(0, 12)})`, () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let tap: ReturnType<typeof tapOn>;

  beforeAll(async () => {
    t = await buildListeningApp();
    tap = tapOn();
    const vapi = t.app.ctx.providers.vapi;
    const assistant = await vapi.createAssistant({
      name: 'Contract Dental',
      systemPrompt: 'You are the receptionist.',
      firstMessage: 'Hello!',
      firstMessageMode: 'assistant-speaks-first',
      voiceId: '21m00Tcm4TlvDq8ikWAM',
      tools: [
        { type: 'function', name: 'book_appointment', description: 'Books a visit', parameters: { type: 'object', properties: { start: { type: 'string' } } } },
        { type: 'transferCall', destinations: [{ number: '+15550001111', mode: 'blind-transfer', message: 'Transferring you.' }] },
        { type: 'endCall' },
      ],
      voicemail: { detect: true, message: 'Please call back.' },
      server: { url: `${t.baseUrl}/api/webhooks/vapi`, secret: t.config.vapi.webhookSecret ?? 'secret' },
      maxDurationSeconds: 600,
      metadata: { organizationId: 'org_1' },
    });
    await vapi.getAssistant(assistant.id);
    await vapi.updateAssistant(assistant.id, { systemPrompt: 'You are the new receptionist.', name: 'Contract Dental 2' });
    await vapi.updateAssistant(assistant.id, { privacy: { hipaa: true, recording: false } });
    const file = await vapi.uploadFile({ name: 'faq.txt', content: 'We open at nine.', contentType: 'text/plain' });
    const tool = await vapi.createKnowledgeBaseTool({ name: 'faq', description: 'Opening hours', fileIds: [file.id] });
    await vapi.updateKnowledgeBaseTool(tool.id, { name: 'faq', description: 'Opening hours and prices', fileIds: [file.id] });
    const number = await vapi.importTwilioNumber({ number: '+15557654321', twilioAccountSid: 'AC' + '0'.repeat(32), twilioAuthToken: 'token', assistantId: assistant.id, name: 'Main' });
    const call = await vapi.createOutboundCall({ assistantId: assistant.id, phoneNumberId: number.id, customerNumber: '+15551234567', customerName: 'Ann' });
    const played = await fetch(`${t.baseUrl}/sandbox/vapi/simulate-call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ callId: call.id, durationSeconds: 90, toolCalls: [{ name: 'book_appointment', arguments: { start: '2026-01-05T10:00:00Z' } }] }),
    });
    expect(played.status).toBe(200);
    await vapi.getCall(call.id);
    await vapi.listCalls({ assistantId: assistant.id, limit: 10, createdAfter: new Date(0) });
    await vapi.deleteCall(call.id);
    await vapi.deleteTool(tool.id);
    await vapi.deleteFile(file.id);
    await vapi.deletePhoneNumber(number.id);
    await vapi.deleteAssistant(assistant.id);
    tap.off();
  });
  afterAll(() => t?.close());

  it('every request our client sent and every answer the emulator gave match the spec', () => {
    const { mismatches, seen } = checkExchanges(contract!, tap.api('vapi'), {
      prefix: /^\/sandbox\/vapi/,
      requests: validators(contract!, { closed: true }),
      responses: validators(contract!),
      known: KNOWN,
    });
    expect(mismatches).toEqual([]);
    const listed = VAPI_OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(listed.filter((op) => !seen.has(op)), 'listed operations never exercised').toEqual([]);
  });

  it('every server message the emulator sent, and our answer to tool-calls, match the spec', () => {
    const v = validators(contract!);
    const messages = tap.messages('vapi');
    const sent = new Set(messages.map((m) => m.name));
    for (const type of Object.keys(VAPI_MESSAGES)) expect(sent, `no ${type} was sent`).toContain(type);
    const mismatches = messages.flatMap((m) => {
      const name = m.name === 'tool-calls-response' ? 'ServerMessageResponseToolCalls' : VAPI_MESSAGES[m.name as keyof typeof VAPI_MESSAGES];
      const body = m.name === 'tool-calls-response' ? m.body : (m.body as { message: unknown }).message;
      const check = v.schema(name);
      return check(body) ? [] : explain(check.errors).map((e) => `${m.name}: ${e}`);
    });
    expect(sent).toContain('tool-calls-response');
    expect(mismatches).toEqual([]);
  });
});
