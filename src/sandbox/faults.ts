import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Fault injection for contract tests: `POST /sandbox/<service>/_faults {status, count, retryAfter?}`
 * makes the next `count` requests to that emulator answer `status`, so tests can prove
 * our clients retry 429 and 5xx. State is per process: a test aid, not emulated state.
 */
export function installFaults(emulator: FastifyInstance) {
  const app = emulator.withTypeProvider<ZodTypeProvider>();
  let pending: { status: number; count: number; retryAfter?: number } | undefined;

  app.post('/_faults', {
    schema: {
      hide: true,
      body: z.object({
        status: z.number().int().min(400).max(599),
        count: z.number().int().min(0).max(100),
        retryAfter: z.number().int().min(0).max(60).optional(),
      }),
    },
    handler: async (request) => {
      pending = request.body.count > 0 ? request.body : undefined;
      return { ok: true };
    },
  });

  /** Call first in each emulator route (or an onRequest hook): true if it answered with a fault. */
  return function injectFault(reply: FastifyReply): boolean {
    if (!pending || pending.count <= 0) return false;
    pending.count -= 1;
    if (pending.retryAfter !== undefined) void reply.header('retry-after', String(pending.retryAfter));
    void reply.status(pending.status).send({ error: { message: `Injected fault ${pending.status}` } });
    return true;
  };
}
