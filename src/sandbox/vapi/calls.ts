import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, E164, found, newResource, vapiStores, type CallDoc, type PhoneNumberDoc } from './shared.js';

const IdParams = z.object({ id: z.string() });

const PhoneNumberBody = z
  .looseObject({
    provider: z.literal('twilio'),
    number: z.string().regex(E164, 'number must be a valid E.164 phone number'),
    twilioAccountSid: z.string().min(1),
    twilioAuthToken: z.string().optional(),
    twilioApiKey: z.string().optional(),
    twilioApiSecret: z.string().optional(),
    assistantId: z.string().optional(),
    name: z.string().max(40).optional(),
    smsEnabled: z.boolean().optional(),
  })
  .refine((b) => b.twilioAuthToken || (b.twilioApiKey && b.twilioApiSecret), 'twilioAuthToken or twilioApiKey and twilioApiSecret are required');

const CallBody = z.looseObject({
  assistantId: z.string(),
  phoneNumberId: z.string(),
  customer: z.looseObject({ number: z.string().regex(E164, 'customer.number must be a valid E.164 phone number'), name: z.string().optional() }),
});

const isoDate = z.iso.datetime({ offset: true });
const ListCallsQuery = z.object({
  id: z.string().optional(),
  assistantId: z.string().optional(),
  phoneNumberId: z.string().optional(),
  limit: z.coerce.number().int().min(0).max(1000).default(100),
  createdAtGt: isoDate.optional(),
  createdAtLt: isoDate.optional(),
  createdAtGe: isoDate.optional(),
  createdAtLe: isoDate.optional(),
});
type ListCallsQuery = z.infer<typeof ListCallsQuery>;

/** Most calls a sandbox lists through; far above what a demo makes. */
const SCAN_LIMIT = 5000;

function matches(call: CallDoc, q: ListCallsQuery): boolean {
  const created = Date.parse(call.createdAt);
  const bound = (iso: string | undefined, ok: (t: number) => boolean) => iso === undefined || ok(Date.parse(iso));
  return (
    (!q.id || call.id === q.id) &&
    (!q.assistantId || call.assistantId === q.assistantId) &&
    (!q.phoneNumberId || call.phoneNumberId === q.phoneNumberId) &&
    bound(q.createdAtGt, (t) => created > t) &&
    bound(q.createdAtLt, (t) => created < t) &&
    bound(q.createdAtGe, (t) => created >= t) &&
    bound(q.createdAtLe, (t) => created <= t)
  );
}

/** `/phone-number` (Twilio imports) and `/call` (outbound create, read, list newest first). */
const callRoutes: FastifyPluginAsyncZod = async (app) => {
  const stores = vapiStores(app.ctx.db);

  app.post('/phone-number', { schema: { hide: true, body: PhoneNumberBody } }, async (request, reply) => {
    // Twilio credentials are used by VAPI to take over the number's voice URL; never echoed back.
    const { twilioAuthToken: _token, twilioApiSecret: _secret, ...body } = request.body;
    if (body.assistantId) await found(stores.assistants.get(body.assistantId), 'Assistant');
    const doc: PhoneNumberDoc = { ...body, ...newResource(app), status: 'active' };
    // Claimed atomically: of two concurrent imports of one number, one wins.
    if (!(await stores.phoneNumberIndex.claim(body.number, { id: doc.id }))) throw badRequest(`Number ${body.number} is already in use`);
    return reply.status(201).send(await stores.phoneNumbers.put(doc.id, doc));
  });

  app.get('/phone-number/:id', { schema: { hide: true, params: IdParams } }, async (request) =>
    found(stores.phoneNumbers.get(request.params.id), 'Phone Number'),
  );

  app.delete('/phone-number/:id', { schema: { hide: true, params: IdParams } }, async (request) => {
    const doc = await found(stores.phoneNumbers.get(request.params.id), 'Phone Number');
    await stores.phoneNumbers.delete(doc.id);
    await stores.phoneNumberIndex.delete(doc.number);
    return doc;
  });

  app.post('/call', { schema: { hide: true, body: CallBody } }, async (request, reply) => {
    const { assistantId, phoneNumberId, customer } = request.body;
    if (!(await stores.assistants.get(assistantId))) throw badRequest(`Assistant ${assistantId} not found`);
    if (!(await stores.phoneNumbers.get(phoneNumberId))) throw badRequest(`Phone Number ${phoneNumberId} not found`);
    // Queued until played by POST /sandbox/vapi/simulate-call with its callId.
    const doc: CallDoc = {
      ...newResource(app),
      type: 'outboundPhoneCall',
      status: 'queued',
      assistantId,
      phoneNumberId,
      customer,
      phoneCallProvider: 'twilio',
      phoneCallTransport: 'pstn',
    };
    return reply.status(201).send(await stores.calls.put(doc.id, doc));
  });

  app.get('/call/:id', { schema: { hide: true, params: IdParams } }, async (request) => found(stores.calls.get(request.params.id), 'Call'));

  app.delete('/call/:id', { schema: { hide: true, params: IdParams } }, async (request) => {
    const doc = await found(stores.calls.get(request.params.id), 'Call');
    await stores.calls.delete(doc.id);
    return doc;
  });

  app.get('/call', { schema: { hide: true, querystring: ListCallsQuery } }, async (request) => {
    const calls = await stores.calls.list({ limit: SCAN_LIMIT });
    return calls
      .filter((call) => matches(call, request.query))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, request.query.limit);
  });
};

export default callRoutes;
