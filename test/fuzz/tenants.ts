import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { lastMailTo, login, ownerWithAssistant, tokenFrom, uniqueEmail } from '../helpers/factories.js';
import { endOfCallReport, postVapi } from '../helpers/vapi.js';
import { smsMessages } from '../../src/db/schema/index.js';

/**
 * An organization on ENTERPRISE (every plan gate open) with one of each kind of tenant object,
 * all created through the API: the ids the fuzz and isolation tests aim at another tenant.
 */
export interface Tenant {
  name: string;
  organizationId: string;
  ownerUserId: string;
  email: string;
  password: string;
  cookie: string;
  assistantId: string;
  vapiAssistantId: string;
  callId: string;
  vapiCallId: string;
  /** A knowledge-base section key only this tenant has. */
  sectionKey: string;
  apiKeyId: string;
  apiKey: string;
  inviteId: string;
  /** A second user, who joined through an accepted invite. */
  memberUserId: string;
  promptVersionId: string;
  embedTokenId: string;
  webhookEndpointId: string;
  blockedNumberId: string;
  /** The Stripe Checkout Session of its A2P fee (open). */
  checkoutSessionId: string;
  /** The full ept_ token and the one domain it allows. */
  embedToken: string;
  embedDomain: string;
  /** Strings that appear only in this tenant's data: seeing one in another tenant's answer is a leak. */
  /** A caller who texted this tenant only: the key of its SMS thread. */
  textNumber: string;
  markers: string[];
}

export async function seedTenant(app: FastifyInstance, label: string): Promise<Tenant> {
  const tag = `${label}-${randomBytes(4).toString('hex')}`;
  const orgName = `Org ${tag}`;
  const { owner, vapiAssistantId, assistant } = await ownerWithAssistant(app, { plan: 'ENTERPRISE', organizationName: orgName });
  const as = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, cookie = owner.cookie) =>
    app.inject({ method, url, payload, headers: { cookie } });
  const ok = async (res: Promise<{ statusCode: number; body: string; json(): any }>, what: string) => {
    const r = await res;
    if (r.statusCode >= 300) throw new Error(`${what} failed: ${r.statusCode} ${r.body}`);
    return r.json();
  };

  // A call, recorded the way VAPI reports it; the caller asks for a callback, so it has a follow-up.
  const vapiCallId = `call_${tag}`;
  const eoc = endOfCallReport({ callId: vapiCallId, assistantId: vapiAssistantId, seconds: 95 });
  Object.assign(eoc.message.analysis, { structuredData: { reason: 'Wants a callback.', category: 'question', urgent: false, callbackRequested: true, appointmentBooked: false } });
  const report = await postVapi(app, eoc);
  if (report.statusCode !== 200) throw new Error(`end-of-call report failed: ${report.statusCode} ${report.body}`);
  const calls = await ok(as('GET', '/api/calls'), 'list calls');
  const callId = calls.calls.find((c: { vapiCallId: string }) => c.vapiCallId === vapiCallId)?.id;
  if (!callId) throw new Error('call not recorded');

  const sectionKey = `sec-${tag}`.toLowerCase().slice(0, 40);
  const kbText = `Secret pricing of ${tag}: 42 dollars`;
  await ok(as('PUT', '/api/kb', { sectionKey, text: kbText }), 'kb section');

  const key = await ok(as('POST', '/api/api-keys', { label: `key ${tag}` }), 'api key');

  // An invite that stays pending, and one accepted: a second user to aim member routes at.
  const pending = await ok(as('POST', '/api/members/invite', { email: uniqueEmail(`pending-${label}`) }), 'invite');
  const memberEmail = uniqueEmail(`member-${label}`);
  await ok(as('POST', '/api/members/invite', { email: memberEmail, role: 'admin' }), 'invite');
  const token = decodeURIComponent(tokenFrom((await lastMailTo(app, memberEmail))!.text)!);
  const joined = await ok(
    app.inject({ method: 'POST', url: '/api/members/accept', payload: { token, name: `Member ${tag}`, password: 'member-pass-1' } }),
    'accept invite',
  );

  await ok(as('PUT', '/api/prompt', { systemPrompt: `You answer the phone for ${orgName}.` }), 'prompt');
  const versions = await ok(as('GET', '/api/prompt/versions'), 'prompt versions');
  const embedDomain = `${tag}.example.com`;
  const embed = await ok(as('POST', '/api/embed-token', { label: `widget ${tag}`, allowedDomains: [embedDomain] }), 'embed token');
  // The create answer shows the secret token, not the id: the list has it.
  const embedTokens = await ok(as('GET', '/api/embed-token'), 'embed tokens');
  const embedTokenId = embedTokens.tokens.find((e: { label: string }) => e.label === `widget ${tag}`)?.id;
  if (!embedTokenId) throw new Error('embed token not listed');

  // Loopback port 9 (discard): needs buildListeningApp({ allowLoopbackFetch: true }).
  const endpoint = await ok(as('POST', '/api/webhook-endpoints', { url: 'http://127.0.0.1:9/hook', events: ['call.ended'] }), 'webhook endpoint');

  const blockedNumber = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const blocked = await ok(as('POST', '/api/blocked-numbers', { number: blockedNumber, reason: `spam ${tag}` }), 'blocked number');

  // A text from a caller of this tenant only (no emulator path sends an inbound text without a
  // signed Twilio webhook and a registered number, so it is stored as the webhook would).
  const textNumber = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const textBody = `Texting ${tag} about my appointment`;
  await app.ctx.db.insert(smsMessages).values({
    organizationId: owner.organizationId,
    direction: 'INBOUND',
    twilioSid: `SM${randomBytes(16).toString('hex')}`,
    from: textNumber,
    to: '+15550000000',
    body: textBody,
    status: 'received',
  });

  // The SMS registration fee's Checkout, left open.
  const fee = await ok(
    as('POST', '/api/a2p/checkout', {
      businessInfo: { businessName: orgName, businessType: 'SOLE_PROPRIETOR' },
      representativeInfo: { firstName: 'Ada', lastName: tag, email: owner.email, phone: '+15551234567' },
      campaignInfo: { useCase: 'CUSTOMER_CARE', sampleMessages: [`Your visit at ${orgName} is tomorrow at 2pm.`] },
    }),
    'a2p fee checkout',
  );
  const checkoutSessionId = (fee.url as string).split('/').pop()!;

  // A login of its own (the factory's cookie is the owner's first session).
  const cookie = await login(app, owner.email, owner.password);
  return {
    name: label,
    organizationId: owner.organizationId,
    ownerUserId: owner.userId,
    email: owner.email,
    password: owner.password,
    cookie,
    assistantId: assistant.id,
    vapiAssistantId,
    callId,
    vapiCallId,
    sectionKey,
    apiKeyId: key.id,
    apiKey: key.key,
    inviteId: pending.id,
    memberUserId: joined.userId,
    promptVersionId: versions.versions[0].id,
    embedTokenId,
    webhookEndpointId: endpoint.id,
    blockedNumberId: blocked.blockedNumber.id,
    checkoutSessionId,
    embedToken: embed.token,
    embedDomain,
    textNumber,
    markers: [orgName, kbText, owner.email, memberEmail, textBody],
  };
}
