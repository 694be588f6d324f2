import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { blockedAddressReason, pinnedLookup, safeFetchHtml, SafeFetchError, type SafeFetchOptions } from '../../src/lib/safe-fetch.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/websites/${name}`, import.meta.url));
const LOOPBACK: SafeFetchOptions = { allowLoopback: true };

let server: Server;
let base: string;
let port: number;
const hostsSeen: string[] = [];
const headersSeen: Array<Record<string, string | string[] | undefined>> = [];
/** Random bytes: gzip makes them longer, so the compressed size is past a cap the page is within. */
const incompressible = randomBytes(900);
let endlessClosed: Promise<void> | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    hostsSeen.push(req.headers.host ?? '');
    headersSeen.push(req.headers);
    const url = new URL(req.url ?? '/', 'http://x');
    const html = (body: string | Buffer, extra: Record<string, string> = {}) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...extra });
      res.end(body);
    };
    const redirect = (to: string) => {
      res.writeHead(302, { location: to });
      res.end();
    };
    const hops = /^\/redirect\/(\d+)$/.exec(url.pathname);
    if (hops) return redirect(Number(hops[1]) > 1 ? `/redirect/${Number(hops[1]) - 1}` : '/contact');
    // /status/301?to=/contact: that status, with a Location when `to` is given.
    const status = /^\/status\/(\d+)$/.exec(url.pathname);
    if (status) {
      const to = url.searchParams.get('to');
      res.writeHead(Number(status[1]), { 'content-type': 'text/html', ...(to ? { location: to } : {}) });
      return res.end(`<p>status ${status[1]}</p>`);
    }
    // /bytes/100 (chunked) or /bytes/100?declared: exactly that many bytes of page.
    const bytes = /^\/bytes\/(\d+)$/.exec(url.pathname);
    if (bytes) {
      const body = Buffer.alloc(Number(bytes[1]), 0x61);
      res.writeHead(200, { 'content-type': 'text/html', ...(url.searchParams.has('declared') ? { 'content-length': String(body.length) } : {}) });
      return res.end(body);
    }
    switch (url.pathname) {
      case '/':
        return html(fixture('dental/index.html'));
      case '/contact':
        return html(fixture('dental/contact.html'));
      case '/xhtml':
        res.writeHead(200, { 'content-type': 'application/xhtml+xml' });
        return res.end('<html><body>ok</body></html>');
      case '/latin1':
        return html(Buffer.from([0x3c, 0x70, 0x3e, 0x43, 0x61, 0x66, 0xe9]), { 'content-type': 'text/html; charset=ISO-8859-1' });
      case '/gzip':
        return html(gzipSync('<p>compressed</p>'), { 'content-encoding': 'gzip' });
      case '/x-gzip':
        return html(gzipSync('<p>x-gzip</p>'), { 'content-encoding': 'X-GZIP' });
      case '/deflate':
        return html(deflateSync('<p>deflated</p>'), { 'content-encoding': 'deflate' });
      case '/br':
        return html(brotliCompressSync('<p>brotli</p>'), { 'content-encoding': 'br' });
      case '/gzip-declared': {
        const body = gzipSync(incompressible);
        return html(body, { 'content-encoding': 'gzip', 'content-length': String(body.length) });
      }
      case '/spaced-type':
        return html('<p>spaced</p>', { 'content-type': 'Text/HTML ; charset=utf-8' });
      case '/latin1-spaced':
        return html(Buffer.from([0x43, 0x61, 0x66, 0xe9]), { 'content-type': 'text/html; charset ="ISO-8859-1"' });
      case '/unknown-charset':
        return html('<p>Café</p>', { 'content-type': 'text/html; charset=klingon' });
      case '/validated':
        if (req.headers['if-none-match'] === '"v1"' || req.headers['if-modified-since'] === 'Tue, 01 Dec 2026 00:00:00 GMT') {
          res.writeHead(304, { etag: '"v1"', 'last-modified': 'Tue, 01 Dec 2026 00:00:00 GMT' });
          return res.end();
        }
        return html('<p>fresh</p>', { etag: '"v1"', 'last-modified': 'Tue, 01 Dec 2026 00:00:00 GMT' });
      case '/gzip-bomb':
        return html(gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x20)), { 'content-encoding': 'gzip' });
      case '/big': {
        // No content-length: only counting the stream can stop it.
        res.writeHead(200, { 'content-type': 'text/html' });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        let sent = 0;
        const pump = () => {
          while (sent < 3 * 1024 * 1024 && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      case '/endless': {
        // Writes until the client hangs up.
        endlessClosed = new Promise((resolve) => res.once('close', resolve));
        res.writeHead(200, { 'content-type': 'text/html' });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = () => {
          while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', pump);
        };
        return pump();
      }
      case '/big-declared':
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(3 * 1024 * 1024) });
        return res.write('<p>');
      case '/json':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"html":false}');
      case '/untyped':
        res.writeHead(200);
        return res.end('<p>no type</p>');
      case '/missing':
        res.writeHead(404, { 'content-type': 'text/html' });
        return res.end('<h1>Not found</h1>');
      case '/to-private':
        return redirect('http://10.0.0.1/admin');
      case '/to-metadata':
        return redirect('http://169.254.169.254/latest/meta-data/');
      case '/to-mapped':
        return redirect('http://[::ffff:192.168.0.1]/');
      case '/to-file':
        return redirect('file:///etc/passwd');
      case '/hang':
        return; // never answers
      case '/stall':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.write('<p>half a page'); // headers, then nothing
      default:
        res.writeHead(500);
        return res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(url: string, opts?: SafeFetchOptions): Promise<SafeFetchError> {
  const err = await safeFetchHtml(url, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, url).toBeInstanceOf(SafeFetchError);
  return err as SafeFetchError;
}

describe('safeFetchHtml with the test-only loopback allowance', () => {
  it('fetches an HTML page', async () => {
    const page = await safeFetchHtml(`${base}/`, LOOPBACK);
    expect(page.status).toBe(200);
    expect(page.finalUrl).toBe(`${base}/`);
    expect(page.html).toContain('"@type": "Dentist"');
  });

  it('accepts XHTML, honors the declared charset and decompresses gzip', async () => {
    expect((await safeFetchHtml(`${base}/xhtml`, LOOPBACK)).html).toContain('ok');
    expect((await safeFetchHtml(`${base}/latin1`, LOOPBACK)).html).toBe('<p>Café');
    expect((await safeFetchHtml(`${base}/gzip`, LOOPBACK)).html).toBe('<p>compressed</p>');
  });

  it('follows up to 3 redirects and reports where it ended', async () => {
    const page = await safeFetchHtml(`${base}/redirect/3`, LOOPBACK);
    expect(page.finalUrl).toBe(`${base}/contact`);
    expect(page.html).toContain('Office hours');
    expect((await failure(`${base}/redirect/4`, LOOPBACK)).reason).toBe('too-many-redirects');
  });

  it('checks every redirect target again', async () => {
    expect((await failure(`${base}/to-private`, LOOPBACK)).reason).toBe('blocked-address');
    expect((await failure(`${base}/to-metadata`, LOOPBACK)).reason).toBe('blocked-address');
    expect((await failure(`${base}/to-mapped`, LOOPBACK)).reason).toBe('blocked-address');
    expect((await failure(`${base}/to-file`, LOOPBACK)).reason).toBe('invalid-url');
  });

  it('connects to the address it checked, sending the name as Host, and resolves once per hop', async () => {
    const lookups: string[] = [];
    const resolve = async (host: string) => {
      lookups.push(host);
      return ['127.0.0.1'];
    };
    const page = await safeFetchHtml(`http://shop.test:${port}/contact`, { ...LOOPBACK, resolve });
    expect(page.html).toContain('Contact Us');
    expect(lookups).toEqual(['shop.test']);
    expect(hostsSeen.at(-1)).toBe(`shop.test:${port}`);
  });

  it('refuses a name when any one of its addresses is blocked', async () => {
    const resolve = async () => ['93.184.216.34', '10.0.0.5'];
    const err = await failure('http://mixed.test/', { resolve });
    expect(err.reason).toBe('blocked-address');
    expect(err.message).toContain('10.0.0.5');
  });

  it('reports names that do not resolve', async () => {
    const resolve = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect((await failure('http://nowhere.test/', { resolve })).reason).toBe('dns-failed');
    expect((await failure('http://empty.test/', { resolve: async () => [] })).reason).toBe('dns-failed');
  });

  it('stops at 2 MB, counted on the wire, declared up front, or after decompression', async () => {
    expect((await failure(`${base}/big`, LOOPBACK)).reason).toBe('too-large');
    expect((await failure(`${base}/big-declared`, LOOPBACK)).reason).toBe('too-large');
    expect((await failure(`${base}/gzip-bomb`, LOOPBACK)).reason).toBe('too-large');
  });

  it('only takes HTML', async () => {
    expect((await failure(`${base}/json`, LOOPBACK)).reason).toBe('not-html');
    expect((await failure(`${base}/untyped`, LOOPBACK)).reason).toBe('not-html');
  });

  it('reports HTTP errors with their status', async () => {
    const err = await failure(`${base}/missing`, LOOPBACK);
    expect(err.reason).toBe('http-error');
    expect(err.status).toBe(404);
  });

  it('reports servers that cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await failure(`http://127.0.0.1:${closedPort}/`, LOOPBACK)).reason).toBe('http-error');
  });

  it('times out servers that do not answer, or stop half-way', async () => {
    for (const path of ['/hang', '/stall']) {
      const started = Date.now();
      expect((await failure(`${base}${path}`, { ...LOOPBACK, timeoutMs: 200 })).reason).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });
});

describe('safeFetchHtml by default', () => {
  it('refuses loopback in every spelling, without connecting', async () => {
    const requestsBefore = hostsSeen.length;
    for (const url of [`${base}/`, `http://localhost:${port}/`, `http://[::1]:${port}/`, `http://0x7f.1:${port}/`, `http://2130706433:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
      expect((await failure(url)).reason, url).toBe('blocked-address');
    }
    expect(hostsSeen.length).toBe(requestsBefore);
  });

  it('refuses URLs that are not plain http(s)', async () => {
    for (const url of ['not a url', 'ftp://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'http://user:secret@example.com/']) {
      expect((await failure(url)).reason, url).toBe('invalid-url');
    }
  });
});

describe('blockedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.1.1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.100.100.200', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.251', 'multicast'],
    ['192.0.2.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'metadata'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::10.0.0.1', 'private'],
    ['::ffff:0:a00:1', 'private'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
    ['2001:0:4136:e378::1', 'teredo'],
    ['2001:db8::1', 'reserved'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['not-an-ip', 'not an IP'],
  ])('blocks %s (%s)', (address, why) => {
    expect(blockedAddressReason(address)).toContain(why);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.216.34', '64:ff9b::8.8.8.8', '2002:0808:0808::1'])(
    'allows public %s',
    (address) => {
      expect(blockedAddressReason(address)).toBeNull();
    },
  );

  it('lets the test-only option through loopback and nothing else', () => {
    for (const address of ['127.0.0.1', '127.255.0.1', '::1', '::ffff:127.0.0.1']) {
      expect(blockedAddressReason(address, { allowLoopback: true }), address).toBeNull();
    }
    for (const address of ['10.0.0.1', '169.254.169.254', 'fe80::1', '0.0.0.0', '::']) {
      expect(blockedAddressReason(address, { allowLoopback: true }), address).not.toBeNull();
    }
  });
});

describe('safeFetchHtml at its edges', () => {
  const get = (path: string, opts: SafeFetchOptions = {}) => safeFetchHtml(`${base}${path}`, { ...LOOPBACK, ...opts });

  it('names itself, and says in words why it failed', async () => {
    const cases: Array<[string, SafeFetchOptions, string]> = [
      [`${base}/missing`, LOOPBACK, `${base}/missing answered HTTP 404`],
      [`${base}/json`, LOOPBACK, `${base}/json is application/json, not HTML`],
      [`${base}/untyped`, LOOPBACK, `${base}/untyped is of no declared type, not HTML`],
      [`${base}/redirect/4`, LOOPBACK, 'More than 3 redirects'],
      [`${base}/big`, LOOPBACK, 'Page is larger than 2097152 bytes'],
      [`${base}/big-declared`, LOOPBACK, 'Page is larger than 2097152 bytes'],
      [`${base}/hang`, { ...LOOPBACK, timeoutMs: 100 }, 'No complete answer within 100 ms'],
      ['not a url', {}, 'Not a URL: not a url'],
      ['ftp://example.com/', {}, 'Only http and https URLs can be fetched, not ftp:'],
      ['http://user:secret@example.com/', {}, 'URLs with credentials are not fetched'],
      ['http://nowhere.test/', { resolve: () => Promise.reject(new Error('ENOTFOUND')) }, 'Could not resolve nowhere.test'],
      ['http://empty.test/', { resolve: async () => [] }, 'empty.test has no addresses'],
    ];
    for (const [url, opts, message] of cases) {
      const err = await failure(url, opts);
      expect([err.name, err.message], url).toEqual(['SafeFetchError', message]);
    }
  });

  it('refuses a user name without a password too', async () => {
    expect((await failure('http://user@example.com/')).reason).toBe('invalid-url');
  });

  it('fetches https with TLS: a plain-HTTP server there fails the handshake, not the URL check', async () => {
    const err = await failure(`https://127.0.0.1:${port}/`, LOOPBACK);
    expect(err.reason).toBe('http-error');
    expect(err.message).toMatch(new RegExp(`^Could not fetch https://127\\.0\\.0\\.1:${port}/: .*(SSL|TLS|EPROTO|wrong version)`, 'i'));
  });

  it('identifies itself and asks for HTML, compressed', async () => {
    await get('/');
    expect(headersSeen.at(-1)).toMatchObject({
      'user-agent': 'EpochVoiceBot/1.0 (website analysis for onboarding)',
      accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1',
      'accept-encoding': 'gzip, deflate, br',
    });
    expect(headersSeen.at(-1)).not.toHaveProperty('if-none-match');
    expect(headersSeen.at(-1)).not.toHaveProperty('if-modified-since');
  });

  it('decompresses every encoding it asks for, whatever its case', async () => {
    expect((await get('/x-gzip')).html).toBe('<p>x-gzip</p>');
    expect((await get('/deflate')).html).toBe('<p>deflated</p>');
    expect((await get('/br')).html).toBe('<p>brotli</p>');
  });

  it('caps the page itself: exactly the cap passes, one byte more does not, declared or counted', async () => {
    expect((await get('/bytes/100', { maxBytes: 100 })).html).toHaveLength(100);
    expect((await get('/bytes/100?declared', { maxBytes: 100 })).html).toHaveLength(100);
    expect((await failure(`${base}/bytes/101`, { ...LOOPBACK, maxBytes: 100 })).reason).toBe('too-large');
    expect((await failure(`${base}/bytes/101?declared`, { ...LOOPBACK, maxBytes: 100 })).reason).toBe('too-large');
    // A declared length is trusted to refuse at once: this server never finishes its body.
    expect((await failure(`${base}/big-declared`, { ...LOOPBACK, timeoutMs: 1_000 })).reason).toBe('too-large');
  });

  it('caps the decoded page, not the compressed bytes a length declares', async () => {
    const compressed = gzipSync(incompressible).length;
    expect(compressed).toBeGreaterThan(incompressible.length);
    const page = await get('/gzip-declared', { maxBytes: incompressible.length });
    expect(Buffer.from(page.html).length).toBeGreaterThan(0);
  });

  it('closes the connection when it stops reading at the cap', async () => {
    expect((await failure(`${base}/endless`, LOOPBACK)).reason).toBe('too-large');
    await endlessClosed; // never resolves while the connection stays open
  });

  it('reads a content type with spaces, a spaced or quoted charset, and falls back to UTF-8 for an unknown one', async () => {
    expect((await get('/spaced-type')).html).toBe('<p>spaced</p>');
    expect((await get('/latin1-spaced')).html).toBe('Café');
    expect((await get('/unknown-charset')).html).toBe('<p>Café</p>');
  });

  it('asks conditionally when given validators, and reports an unchanged page', async () => {
    const fresh = await get('/validated');
    expect(fresh).toMatchObject({ status: 200, html: '<p>fresh</p>', etag: '"v1"', lastModified: 'Tue, 01 Dec 2026 00:00:00 GMT' });
    expect(fresh.notModified).toBeUndefined();

    const byEtag = await get('/validated', { ifNoneMatch: '"v1"' });
    expect(headersSeen.at(-1)).toMatchObject({ 'if-none-match': '"v1"' });
    expect(headersSeen.at(-1)).not.toHaveProperty('if-modified-since');
    expect(byEtag).toEqual({ finalUrl: `${base}/validated`, html: '', status: 304, notModified: true, etag: '"v1"', lastModified: 'Tue, 01 Dec 2026 00:00:00 GMT' });

    const byDate = await get('/validated', { ifModifiedSince: 'Tue, 01 Dec 2026 00:00:00 GMT' });
    expect(headersSeen.at(-1)).not.toHaveProperty('if-none-match');
    expect(byDate.notModified).toBe(true);
    // A changed page answers in full, with its new validators.
    expect((await get('/validated', { ifNoneMatch: '"v0"' })).html).toBe('<p>fresh</p>');
  });

  it('treats a 304 it did not ask for as an error', async () => {
    const err = await failure(`${base}/status/304`, LOOPBACK);
    expect([err.reason, err.status]).toEqual(['http-error', 304]);
  });

  it('follows only 3xx answers that name a Location', async () => {
    expect((await get('/status/300?to=/contact')).finalUrl).toBe(`${base}/contact`);
    expect((await get('/status/399?to=/contact')).finalUrl).toBe(`${base}/contact`);
    const ok = await get('/status/200?to=/contact');
    expect([ok.finalUrl, ok.html]).toEqual([`${base}/status/200?to=/contact`, '<p>status 200</p>']);
    for (const code of [400, 404]) {
      const err = await failure(`${base}/status/${code}?to=/contact`, LOOPBACK);
      expect([err.reason, err.status]).toEqual(['http-error', code]);
    }
    const bare = await failure(`${base}/status/301`, LOOPBACK);
    expect([bare.reason, bare.status]).toEqual(['http-error', 301]);
    expect((await get('/status/299')).html).toBe('<p>status 299</p>');
  });

  it('honors a smaller redirect limit', async () => {
    expect((await failure(`${base}/redirect/1`, { ...LOOPBACK, maxRedirects: 0 })).reason).toBe('too-many-redirects');
    expect((await get('/redirect/1', { maxRedirects: 1 })).finalUrl).toBe(`${base}/contact`);
  });

  it('leaves no timer behind once the page is in', async () => {
    // The timers it set, each cleared: counting the process's active timers instead failed
    // whenever an unrelated one (a closing socket's) ended during the fetch.
    const set = vi.spyOn(globalThis, 'setTimeout');
    const clear = vi.spyOn(globalThis, 'clearTimeout');
    let made: unknown[];
    let cleared: Set<unknown>;
    try {
      await get('/', { timeoutMs: 60_000 });
      made = set.mock.results.map((result) => result.value as unknown);
      cleared = new Set(clear.mock.calls.map(([timer]) => timer as unknown));
    } finally {
      set.mockRestore(); // also forgets the calls
      clear.mockRestore();
    }
    expect(made.length).toBeGreaterThan(0);
    expect(made.filter((timer) => !cleared.has(timer))).toEqual([]);
  });
});

describe('IPv4-compatible IPv6 and the pinned lookup', () => {
  it('reads ::a.b.c.d written in hex as the IPv4 address it carries', () => {
    expect(blockedAddressReason('::a00:1')).toContain('private');
    expect(blockedAddressReason('::7f00:1')).toContain('loopback');
    expect(blockedAddressReason('::808:808')).toBeNull();
  });

  it('answers only the checked address, in either form Node asks for', () => {
    const answers: unknown[][] = [];
    const lookup = pinnedLookup('93.184.216.34') as unknown as (host: string, options: object, callback: (...args: unknown[]) => void) => void;
    lookup('evil.test', { all: true }, (...args) => answers.push(args));
    lookup('evil.test', {}, (...args) => answers.push(args));
    const lookup6 = pinnedLookup('2606:4700:4700::1111') as unknown as typeof lookup;
    lookup6('evil.test', {}, (...args) => answers.push(args));
    expect(answers).toEqual([
      [null, [{ address: '93.184.216.34', family: 4 }]],
      [null, '93.184.216.34', 4],
      [null, '2606:4700:4700::1111', 6],
    ]);
  });
});
