import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import ipaddr from 'ipaddr.js';

export type SafeFetchReason =
  | 'invalid-url'
  | 'blocked-address'
  | 'too-many-redirects'
  | 'timeout'
  | 'too-large'
  | 'not-html'
  | 'http-error'
  | 'dns-failed';

/** Why a page could not be fetched. 'http-error' also covers refused connections and TLS failures; `status` is set when there was an answer. */
export class SafeFetchError extends Error {
  constructor(
    readonly reason: SafeFetchReason,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SafeFetchError';
  }
}

export interface SafeFetchOptions {
  /** Whole fetch, redirects included. Default 5 s. */
  timeoutMs?: number;
  /** Decoded body cap per page. Default 2 MB. */
  maxBytes?: number;
  /** Default 3. */
  maxRedirects?: number;
  /**
   * TEST ONLY: lets tests fetch fixtures from a server on 127.0.0.0/8 or ::1.
   * Never set it from user input or config; every other blocked range stays blocked.
   */
  allowLoopback?: boolean;
  /** Replaces DNS resolution (tests); returns every address the name has. */
  resolve?: (hostname: string) => Promise<string[]>;
  /** A conditional GET: what the last read answered, so an unchanged page costs a 304. */
  ifNoneMatch?: string | null;
  ifModifiedSince?: string | null;
}

export interface SafeFetchResult {
  finalUrl: string;
  /** Empty when notModified. */
  html: string;
  status: number;
  /** The server answered 304 to a conditional GET: the page is as last read. */
  notModified?: boolean;
  etag?: string | null;
  lastModified?: string | null;
}

/** Cloud metadata endpoints, named so that no later range change can let them through. */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);

const DEFAULTS = { timeoutMs: 5_000, maxBytes: 2 * 1024 * 1024, maxRedirects: 3 };
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/** The IPv4 address an IPv6 address carries (mapped, compatible, SIIT, NAT64 or 6to4), if any. */
function embeddedIPv4(addr: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const range = addr.range();
  const b = addr.toByteArray();
  const compatible = range === 'unicast' && b.slice(0, 12).every((x) => x === 0); // ::a.b.c.d, deprecated
  if (compatible || range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') {
    return new ipaddr.IPv4(b.slice(12, 16));
  }
  if (range === '6to4') return new ipaddr.IPv4(b.slice(2, 6));
  return undefined;
}

/**
 * Why `address` must not be fetched, or null when it is a public unicast address.
 * An allow-list: any named special range (private, loopback, link-local, unique-local,
 * multicast, reserved, CGNAT, Teredo…) is refused; embedded IPv4 is checked as IPv4.
 */
export function blockedAddressReason(address: string, opts: { allowLoopback?: boolean } = {}): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let addr: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(address);
  // Stryker disable next-line ConditionalExpression: equivalent, an IPv4 address's range is never one that embeds another
  if (addr.kind() === 'ipv6') addr = embeddedIPv4(addr as ipaddr.IPv6) ?? addr;
  const normalized = addr.toString();
  if (METADATA.has(normalized)) return 'cloud metadata address';
  const range = addr.range();
  if (range === 'unicast') return null;
  if (range === 'loopback' && opts.allowLoopback) return null;
  return `${range} address`;
}

/**
 * The address to connect to: every address the host resolves to must be public (or loopback
 * when a test allows it). Throws SafeFetchError 'dns-failed' or 'blocked-address'. Shared
 * with the outgoing-webhook transport, which applies the same guard.
 */
export async function resolvePublicAddress(
  hostname: string,
  opts: Pick<SafeFetchOptions, 'allowLoopback' | 'resolve'>,
): Promise<string> {
  const literal = hostname.replace(/[[\]]/g, ''); // an IPv6 literal's brackets: no name has any
  let addresses: string[];
  if (ipaddr.isValid(literal)) {
    addresses = [literal];
  } else {
    try {
      addresses = opts.resolve
        ? await opts.resolve(hostname)
        : (
            await dnsLookup(hostname, {
              all: true,
              // Stryker disable next-line BooleanLiteral: equivalent, the order of the addresses; every one is checked
              verbatim: true,
            })
          ).map((a) => a.address);
    } catch {
      throw new SafeFetchError('dns-failed', `Could not resolve ${hostname}`);
    }
    if (addresses.length === 0) throw new SafeFetchError('dns-failed', `${hostname} has no addresses`);
  }
  // Every address, not just the first: a name with one public and one private address is refused.
  for (const address of addresses) {
    const why = blockedAddressReason(address, opts);
    if (why) throw new SafeFetchError('blocked-address', `${hostname} resolves to a ${why} (${address})`);
  }
  return addresses[0]!;
}

/** A lookup that answers only the already-checked address, so DNS cannot change between check and connect. */
export function pinnedLookup(address: string): LookupFunction {
  const family = ipaddr.parse(address).kind() === 'ipv6' ? 6 : 4;
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
}

function parseUrl(raw: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new SafeFetchError('invalid-url', `Not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SafeFetchError('invalid-url', `Only http and https URLs can be fetched, not ${url.protocol}`);
  }
  if (url.username || url.password) throw new SafeFetchError('invalid-url', 'URLs with credentials are not fetched');
  return url;
}

function request(url: URL, address: string, signal: AbortSignal, conditional: Record<string, string>): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      lookup: pinnedLookup(address),
      signal,
      agent: false,
      headers: {
        'user-agent': 'EpochVoiceBot/1.0 (website analysis for onboarding)',
        accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1',
        'accept-encoding': 'gzip, deflate, br',
        ...conditional,
      },
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

/** The body, decompressed; pipeline() carries an abort of the response into the decompressor. */
function decoded(res: http.IncomingMessage): Readable {
  const encoding = res.headers['content-encoding']?.toLowerCase();
  const inflate =
    encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip()
    : encoding === 'deflate' ? createInflate()
    : encoding === 'br' ? createBrotliDecompress()
    : undefined;
  return inflate ? pipeline(res, inflate, () => undefined) : res;
}

/** Reads at most maxBytes of the decoded body; the cap applies after decompression (zip bombs). */
async function readCapped(res: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (!res.headers['content-encoding'] && Number.isFinite(declared) && declared > maxBytes) {
    throw new SafeFetchError('too-large', `Page is larger than ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early destroys the stream, and pipeline() every stream before it: the connection closes.
  for await (const chunk of decoded(res)) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) throw new SafeFetchError('too-large', `Page is larger than ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const header = (res: http.IncomingMessage, name: string) => {
  const value = res.headers[name];
  return typeof value === 'string' ? value : null;
};

function decodeText(body: Buffer, contentType: string): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset).decode(body); // UTF-8 when none is declared
  } catch {
    return new TextDecoder().decode(body); // a charset no decoder knows: UTF-8 too
  }
}

async function fetchWithin(startUrl: string, opts: SafeFetchOptions, signal: AbortSignal): Promise<SafeFetchResult> {
  const maxRedirects = opts.maxRedirects ?? DEFAULTS.maxRedirects;
  let url = parseUrl(startUrl);
  const conditional: Record<string, string> = {
    ...(opts.ifNoneMatch ? { 'if-none-match': opts.ifNoneMatch } : {}),
    ...(opts.ifModifiedSince ? { 'if-modified-since': opts.ifModifiedSince } : {}),
  };
  for (let redirects = 0; ; redirects++) {
    const address = await resolvePublicAddress(url.hostname, opts);
    const res = await request(url, address, signal, conditional);
    const status = res.statusCode ?? 0;
    const validators = { etag: header(res, 'etag'), lastModified: header(res, 'last-modified') };
    if (status === 304 && Object.keys(conditional).length > 0) {
      res.destroy();
      return { finalUrl: url.href, html: '', status, notModified: true, ...validators };
    }
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location) {
      res.destroy();
      if (redirects >= maxRedirects) throw new SafeFetchError('too-many-redirects', `More than ${maxRedirects} redirects`);
      url = parseUrl(location, url.href);
      continue;
    }
    // Not a 2xx (Node hands 1xx answers to 'information' events, never as the response).
    if (Math.trunc(status / 100) !== 2) {
      res.destroy();
      throw new SafeFetchError('http-error', `${url.href} answered HTTP ${status}`, status);
    }
    const contentType = res.headers['content-type'] ?? '';
    const mime = contentType.split(';')[0]!.trim().toLowerCase();
    if (!HTML_TYPES.has(mime)) {
      res.destroy();
      throw new SafeFetchError('not-html', `${url.href} is ${mime || 'of no declared type'}, not HTML`);
    }
    const body = await readCapped(res, opts.maxBytes ?? DEFAULTS.maxBytes);
    return { finalUrl: url.href, html: decodeText(body, contentType), status, ...validators };
  }
}

/**
 * GETs an HTML page from a URL a user gave us without letting it reach our own network:
 * http(s) only; every resolved address must be public (checked again on each redirect);
 * the connection goes to the checked address; time, size and redirects are capped.
 */
export async function safeFetchHtml(url: string, opts: SafeFetchOptions = {}): Promise<SafeFetchResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SafeFetchError('timeout', `No complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const work = fetchWithin(url, opts, controller.signal);
  work.catch(() => undefined); // its abort error after a timeout is expected and already reported
  try {
    return await Promise.race([work, timedOut]);
  } catch (err) {
    if (err instanceof SafeFetchError) throw err;
    throw new SafeFetchError('http-error', `Could not fetch ${url}: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
