import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { blockedAddressReason } from '../../lib/safe-fetch.js';

/** Longest endpoint URL we store. */
export const MAX_WEBHOOK_URL_LENGTH = 2000;
/** One delivery attempt, DNS included. */
const DEFAULT_TIMEOUT_MS = 10_000;
/** What we read of a receiver's answer (for the delivery log); the rest is dropped. */
const RESPONSE_EXCERPT_BYTES = 512;

/** Why a URL may not receive webhooks (bad URL, or it resolves to our own network). */
export class WebhookUrlError extends Error {
  override name = 'WebhookUrlError';
}

export interface WebhookAttempt {
  /** HTTP status, when the receiver answered. */
  status?: number;
  /** Start of the answer's body (non-2xx), or why there was no answer. */
  error?: string;
}

/** Outgoing webhook HTTP: the SSRF guard and the POST, injectable so tests may reach loopback explicitly. */
export interface WebhookTransport {
  /** Throws WebhookUrlError unless the URL is http(s) and every address its host resolves to is public. */
  check(url: string): Promise<void>;
  /** POSTs a body to a checked URL (checked again now: DNS may have changed); never throws. */
  post(url: string, body: string, headers: Record<string, string>): Promise<WebhookAttempt>;
}

export interface WebhookTransportOptions {
  /** TEST ONLY: lets tests deliver to a receiver on 127.0.0.0/8 or ::1. Never from config or user input. */
  allowLoopback?: boolean;
  timeoutMs?: number;
  /** Replaces DNS resolution (tests). */
  resolve?: (hostname: string) => Promise<string[]>;
}

function parseWebhookUrl(raw: string): URL {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) throw new WebhookUrlError(`The URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('Not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookUrlError('The URL must start with https:// or http://');
  if (url.username || url.password) throw new WebhookUrlError('The URL must not contain credentials');
  return url;
}

/** A lookup that answers only the checked address, so DNS cannot change between check and connect. */
function pinnedLookup(address: string): LookupFunction {
  const family = ipaddr.parse(address).kind() === 'ipv6' ? 6 : 4;
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
}

/** The transport used by the app; loopback stays refused unless a test asks for it. */
export function createWebhookTransport(opts: WebhookTransportOptions = {}): WebhookTransport {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  /** Every address the host resolves to must be public (one private address refuses the name). */
  async function resolveChecked(url: URL): Promise<string> {
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: string[];
    if (ipaddr.isValid(hostname)) {
      addresses = [hostname];
    } else {
      try {
        addresses = opts.resolve
          ? await opts.resolve(hostname)
          : (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
      } catch {
        throw new WebhookUrlError(`Could not resolve ${hostname}`);
      }
      if (addresses.length === 0) throw new WebhookUrlError(`${hostname} has no addresses`);
    }
    for (const address of addresses) {
      const why = blockedAddressReason(address, { allowLoopback: opts.allowLoopback === true });
      if (why) throw new WebhookUrlError(`${hostname} resolves to a ${why} (${address}); webhooks go to public addresses only`);
    }
    return addresses[0]!;
  }

  function send(url: URL, address: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<WebhookAttempt> {
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(url, {
        method: 'POST',
        lookup: pinnedLookup(address),
        agent: false,
        signal,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'EpochVoice-Webhooks/1.0',
        },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          res.destroy();
          const excerpt = Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_EXCERPT_BYTES).trim();
          resolve(status >= 200 && status < 300 ? { status } : { status, error: `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}` });
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_EXCERPT_BYTES) done();
        });
        res.on('end', done);
        res.on('error', done);
      });
      req.end(body);
    });
  }

  return {
    async check(raw) {
      await resolveChecked(parseWebhookUrl(raw));
    },
    async post(raw, body, headers) {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      // The whole attempt, DNS included (a lookup cannot be aborted, so it is raced).
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new Error('timeout'));
        }, timeoutMs);
      });
      const attempt = (async () => {
        const url = parseWebhookUrl(raw);
        const address = await resolveChecked(url);
        return send(url, address, body, headers, controller.signal);
      })();
      attempt.catch(() => undefined); // after a timeout its abort error is expected
      try {
        return await Promise.race([attempt, timedOut]);
      } catch (err) {
        if (err instanceof WebhookUrlError) return { error: err.message };
        if (controller.signal.aborted) return { error: `No answer within ${timeoutMs} ms` };
        const code = (err as { code?: string }).code;
        return { error: `Could not connect: ${code ?? (err as Error).message}` };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
