import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.js';
import { sandboxIdempotency } from '../../db/schema/index.js';
import { invalidRequest, StripeApiError } from './errors.js';

const SERVICE = 'stripe';
const PENDING = 'pending';
/**
 * A key claimed this long ago and still unanswered belongs to a request that died with its
 * process (the emulator runs inside the app): like Stripe, which releases the lock of a
 * request that never finished, the key may then be claimed again. Live requests take ms.
 */
export const ABANDONED_AFTER_MS = 60_000;

/** JSON with sorted keys, so the same parameters hash the same whatever their order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Stripe's Idempotency-Key on POST: the first result (status and body, errors included) is
 * saved and replayed with `Idempotent-Replayed: true`; the same key with other parameters or
 * another endpoint is a 400 idempotency_error, and one still executing a 409 (until it is
 * abandoned, see ABANDONED_AFTER_MS). Runs after validation, so a request refused for its
 * parameters saves nothing, as on Stripe.
 */
export function installIdempotency(api: FastifyInstance, db: Db, now: () => Date) {
  const keyOf = (key: string) => and(eq(sandboxIdempotency.service, SERVICE), eq(sandboxIdempotency.key, key));
  /** Requests whose answer must be saved under their key. */
  const saving = new WeakMap<FastifyRequest, string>();

  api.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || key === '') return;
    if (key.length > 255) throw invalidRequest('Invalid Idempotency-Key: keys must be at most 255 characters long.');
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url.split('?')[0]} ${canonical(request.body ?? {})}`)
      .digest('hex');
    const at = now();
    const claimed = await db
      .insert(sandboxIdempotency)
      .values({ service: SERVICE, key, requestHash, status: PENDING, response: {}, createdAt: at })
      .onConflictDoUpdate({
        target: [sandboxIdempotency.service, sandboxIdempotency.key],
        set: { createdAt: at },
        // Same request, never answered, claimed long ago: its process died; this retry takes over.
        setWhere: and(
          eq(sandboxIdempotency.status, PENDING),
          eq(sandboxIdempotency.requestHash, requestHash),
          lt(sandboxIdempotency.createdAt, new Date(at.getTime() - ABANDONED_AFTER_MS)),
        ),
      })
      .returning({ key: sandboxIdempotency.key });
    if (claimed.length > 0) {
      saving.set(request, key);
      return;
    }
    const [first] = await db.select().from(sandboxIdempotency).where(keyOf(key));
    if (!first) return;
    if (first.requestHash !== requestHash) {
      throw new StripeApiError(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    if (first.status === PENDING) {
      throw new StripeApiError(409, {
        type: 'idempotency_error',
        message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
      });
    }
    return reply.status(Number(first.status)).header('idempotent-replayed', 'true').send(first.response);
  });

  api.addHook('onSend', async (request, reply, payload) => {
    const key = saving.get(request);
    if (!key) return payload;
    saving.delete(request);
    // Every API answer is JSON (errors included), serialized by now.
    const response: unknown = typeof payload === 'string' ? JSON.parse(payload) : null;
    await db.update(sandboxIdempotency).set({ status: String(reply.statusCode), response }).where(keyOf(key));
    return payload;
  });
}
