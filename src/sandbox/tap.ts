import type { FastifyInstance } from 'fastify';

/**
 * Test-only recorder of what crosses the emulators, for the contract tests: each API request
 * (route, parsed body) with its answer, and each message an emulator sends out. Off unless a
 * test sets `enabled`; never used by the product.
 */
export type TapEntry =
  | { kind: 'api'; service: string; method: string; route: string; status: number; request: unknown; response: unknown }
  | { kind: 'message'; service: string; name: string; body: unknown };

export const contractTap = {
  enabled: false,
  entries: [] as TapEntry[],
  message(service: string, name: string, body: unknown) {
    if (this.enabled) this.entries.push({ kind: 'message', service, name, body: structuredClone(body) });
  },
};

const parsed = (payload: unknown) => {
  if (typeof payload !== 'string') return undefined;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return payload;
  }
};

/** Records every answered request of `app`'s routes while the tap is on. */
export function installTap(app: FastifyInstance, service: string) {
  app.addHook('onSend', async (request, reply, payload) => {
    if (contractTap.enabled && request.routeOptions.url) {
      contractTap.entries.push({
        kind: 'api',
        service,
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        request: request.body === undefined ? undefined : structuredClone(request.body),
        response: parsed(payload),
      });
    }
    return payload;
  });
}
