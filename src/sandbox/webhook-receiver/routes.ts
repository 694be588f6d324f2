import { randomUUID } from 'node:crypto';
import { like } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { webhookEndpoints } from '../../db/schema/index.js';
import { decryptSecret } from '../../lib/crypto.js';
import { hmacSha256, safeEqual } from '../../lib/tokens.js';
import { SANDBOX_RECEIVER_PATH } from '../../modules/webhook-endpoints/transport.js';
import { sandboxStore } from '../store.js';

/** A receiver's id: the organization's suggested one (receiverIdFor) or any the user picks. */
const ReceiverId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Letters, digits, _ and - (at most 64)');

/** The receiver the dashboard suggests to an organization: stable, and not guessable from its id. */
export const receiverIdFor = (ctx: AppContext, organizationId: string) => hmacSha256(ctx.config.authSecret, `webhook-receiver:${organizationId}`).slice(0, 24);

const Received = z.object({
  receivedAt: z.string(),
  eventId: z.string().nullable(),
  eventType: z.string().nullable(),
  signatureValid: z.boolean().describe('Epoch-Signature verified with the secret of an endpoint pointing here'),
  endpointId: z.string().nullable().describe('The endpoint whose secret signed it'),
  body: z.unknown(),
});
type Received = z.infer<typeof Received>;

/** `t=<unix>,v1=<hex>` checked against every endpoint that points at this receiver. */
async function signerOf(ctx: AppContext, id: string, header: string | undefined, raw: string): Promise<string | null> {
  const parts = Object.fromEntries((header ?? '').split(',').map((kv) => kv.split('=', 2) as [string, string]));
  if (!parts.t || !parts.v1) return null;
  const path = `${SANDBOX_RECEIVER_PATH}${id}`;
  const candidates = await ctx.db
    .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, encryptedSecret: webhookEndpoints.encryptedSecret })
    .from(webhookEndpoints)
    .where(like(webhookEndpoints.url, `%${SANDBOX_RECEIVER_PATH}%`));
  for (const endpoint of candidates) {
    if (URL.canParse(endpoint.url) && new URL(endpoint.url).pathname !== path) continue;
    let secret: string;
    try {
      secret = decryptSecret(endpoint.encryptedSecret, ctx.config.encryptionKey);
    } catch {
      continue; // unreadable secret (ENCRYPTION_KEY changed): cannot have signed it
    }
    if (safeEqual(hmacSha256(secret, `${parts.t}.${raw}`), parts.v1)) return endpoint.id;
  }
  return null;
}

/**
 * Sandbox only: a webhook receiver on this server, so outgoing webhooks can be tried offline.
 * POST records what arrives (verifying its signature); GET lists it, newest first.
 */
const webhookReceiverRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const store = sandboxStore<Received>(ctx.db, 'webhook-receiver', 'delivery');
  // The signature covers the raw body, byte for byte.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post(`${SANDBOX_RECEIVER_PATH}:id`, {
    schema: {
      tags: ['Sandbox'],
      summary: 'Built-in webhook receiver: records a delivery, 401 unless its Epoch-Signature verifies',
      params: z.object({ id: ReceiverId }),
      body: z.string(),
      response: { 200: z.object({ received: z.literal(true) }), 401: z.object({ error: z.string(), code: z.string() }) },
    },
    handler: async (request, reply) => {
      const header = request.headers['epoch-signature'];
      const endpointId = await signerOf(ctx, request.params.id, typeof header === 'string' ? header : undefined, request.body);
      let body: unknown = request.body;
      try {
        body = JSON.parse(request.body);
      } catch {
        // kept as text
      }
      const event = (body && typeof body === 'object' ? body : {}) as { id?: unknown; type?: unknown };
      await store.put(
        randomUUID(),
        {
          receivedAt: ctx.now().toISOString(),
          eventId: typeof event.id === 'string' ? event.id : null,
          eventType: typeof event.type === 'string' ? event.type : null,
          signatureValid: endpointId !== null,
          endpointId,
          body,
        },
        request.params.id,
      );
      if (!endpointId) return reply.status(401).send({ error: 'Epoch-Signature does not verify with any endpoint pointing here', code: 'UNAUTHORIZED' });
      return { received: true as const };
    },
  });

  app.get(`${SANDBOX_RECEIVER_PATH}:id`, {
    schema: {
      tags: ['Sandbox'],
      summary: 'What the built-in webhook receiver got, newest first',
      params: z.object({ id: ReceiverId }),
      response: { 200: z.object({ deliveries: z.array(Received) }) },
    },
    handler: async (request) => ({ deliveries: await store.list({ owner: request.params.id, limit: 100 }) }),
  });
};

export default webhookReceiverRoutes;
