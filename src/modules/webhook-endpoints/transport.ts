import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import ipaddr from 'ipaddr.js';
import { blockedAddressReason, pinnedLookup, resolvePublicAddress, SafeFetchError } from '../../lib/safe-fetch.js';

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

/** Where the sandbox's own webhook receiver lives (src/sandbox/webhook-receiver). */
export const SANDBOX_RECEIVER_PATH = '/sandbox/webhook-receiver/';

/** Outgoing webhook HTTP: the SSRF guard and the POST, injectable so tests may reach loopback explicitly. */
export interface WebhookTransport {
  /**
   * The check at save time, without DNS (a name that does not resolve today may tomorrow, and
   * offline nothing resolves): throws WebhookUrlError unless the URL is http(s) without
   * credentials and its host is not a literal private/loopback address or `localhost`.
   */
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
  /**
   * Sandbox mode only: our own origins (APP_URL, and how this process reaches itself). A URL on
   * one of them under SANDBOX_RECEIVER_PATH is the built-in receiver: allowed, and sent to `self`.
   */
  sandboxReceiver?: { origins: string[]; self: string };
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

/** `localhost` and its subdomains are loopback by definition (RFC 6761): refused without asking DNS. */
const isLocalhostName = (hostname: string) => hostname === 'localhost' || hostname.endsWith('.localhost');

/** The transport used by the app; loopback stays refused unless a test asks for it. */
export function createWebhookTransport(opts: WebhookTransportOptions = {}): WebhookTransport {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  /** The sandbox receiver's URL on this process, when `url` is our own receiver (sandbox mode only). */
  function ownReceiver(url: URL): URL | undefined {
    const own = opts.sandboxReceiver;
    if (!own || !own.origins.includes(url.origin) || !url.pathname.startsWith(SANDBOX_RECEIVER_PATH)) return undefined;
    return new URL(`${url.pathname}${url.search}`, own.self);
  }

  /** Where this process listens (no guard: it is our own receiver). */
  async function selfAddress(hostname: string) {
    const host = hostname.replace(/^\[(.*)\]$/, '$1');
    return ipaddr.isValid(host) ? host : (await dnsLookup(host)).address;
  }

  /** The save-time guard: form and literal addresses only. */
  function checkForm(url: URL) {
    if (ownReceiver(url)) return;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (isLocalhostName(host) && !opts.allowLoopback) throw new WebhookUrlError(`${host} is this machine; webhooks go to public addresses only`);
    if (!ipaddr.isValid(host)) return;
    const why = blockedAddressReason(host, { allowLoopback: opts.allowLoopback === true });
    if (why) throw new WebhookUrlError(`${host} is a ${why}; webhooks go to public addresses only`);
  }

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
      checkForm(parseWebhookUrl(raw));
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
        const parsed = parseWebhookUrl(raw);
        const receiver = ownReceiver(parsed);
        if (receiver) return send(receiver, await selfAddress(receiver.hostname), body, headers, controller.signal);
        checkForm(parsed);
        return send(parsed, await resolveChecked(parsed), body, headers, controller.signal);
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
