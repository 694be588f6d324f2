import http from 'node:http';
import https from 'node:https';
import { pinnedLookup, resolvePublicAddress, SafeFetchError } from '../../lib/safe-fetch.js';

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

/** The transport used by the app; loopback stays refused unless a test asks for it. */
export function createWebhookTransport(opts: WebhookTransportOptions = {}): WebhookTransport {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  /** Every address the host resolves to must be public (one private address refuses the name): the fetcher's guard. */
  async function resolveChecked(url: URL): Promise<string> {
    try {
      return await resolvePublicAddress(url.hostname, { allowLoopback: opts.allowLoopback === true, resolve: opts.resolve });
    } catch (err) {
      if (!(err instanceof SafeFetchError)) throw err;
      const suffix = err.reason === 'blocked-address' ? '; webhooks go to public addresses only' : '';
      throw new WebhookUrlError(`${err.message}${suffix}`);
    }
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
