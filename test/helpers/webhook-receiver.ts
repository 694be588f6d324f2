import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; createdAt: string; organizationId: string; data: Record<string, any> };
}

/**
 * A customer's webhook receiver on 127.0.0.1: records every POST and answers the next
 * scripted status (200 once the script runs out). Can stop and restart on the same port.
 */
export async function startReceiver(opts: { port?: number; statuses?: number[] } = {}) {
  const received: Received[] = [];
  const statuses = [...(opts.statuses ?? [])];
  let server: Server | undefined;

  async function listen(port: number) {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ headers: req.headers, body, json: JSON.parse(body) });
        const status = statuses.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver failed');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
    return (server!.address() as AddressInfo).port;
  }

  const port = await listen(opts.port ?? 0);
  return {
    port,
    url: `http://127.0.0.1:${port}/hooks/epoch`,
    received,
    /** Statuses for the next requests, in order. */
    script(...next: number[]) {
      statuses.push(...next);
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start: () => listen(port),
  };
}

/** Checks `Epoch-Signature: t=…,v1=…` the way a customer would, with nothing from our code. */
export function verifySignature(header: string | string[] | undefined, body: string, secret: string): boolean {
  const parts = Object.fromEntries(String(header ?? '').split(',').map((p) => p.split('=') as [string, string]));
  if (!parts.t || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Polls until `check` holds (or fails the test after `timeoutMs`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition') {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
