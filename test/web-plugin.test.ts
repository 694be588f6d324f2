import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import webPlugin, { SANDBOX_META } from '../src/plugins/web.js';
import { diffLines } from '../web/src/diff.js';

const root = mkdtempSync(join(tmpdir(), 'ev-web-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><title>t</title></head><body><div id="root"></div></body></html>');
writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
writeFileSync(join(root, 'assets', 'index-abc123.js.br'), brotliCompressSync('console.log(1)'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function appWith(dir: string, sandbox = false) {
  const app = Fastify();
  await app.register(webPlugin, { root: dir, sandbox });
  app.get('/api/health', async () => ({ status: 'ok' }));
  await app.ready();
  return app;
}

describe('web plugin', () => {
  it('answers index.html for the client-side routes, never cached', async () => {
    const app = await appWith(root);
    for (const url of ['/', '/login', '/register', '/reset-password?token=x', '/magic-link', '/onboarding', '/dashboard', '/dashboard/calls/123']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    await app.close();
  });

  it('marks the page in sandbox mode, so the dashboard draws its banner in the first paint', async () => {
    const sandbox = await appWith(root, true);
    const page = await sandbox.inject({ url: '/dashboard/calls' });
    expect(page.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    expect(page.body).toContain(SANDBOX_META);
    expect(page.body).toContain('<div id="root"></div>');
    await sandbox.close();
    const live = await appWith(root);
    expect((await live.inject({ url: '/dashboard/calls' })).body).not.toContain('ev-sandbox');
    await live.close();
  });

  it('caches hashed assets for good and leaves other paths to the API', async () => {
    const app = await appWith(root);
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/health' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/elsewhere' })).statusCode).toBe(404);
    await app.close();
  });

  it('sends the precompressed file to a browser that accepts it', async () => {
    const app = await appWith(root);
    const br = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe('console.log(1)');
    const plain = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log(1)');
    await app.close();
  });

  it('registers nothing but the favicon without a build', async () => {
    const app = await appWith(join(root, 'not-built'));
    expect((await app.inject({ url: '/dashboard' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/favicon.ico' })).statusCode).toBe(200);
    await app.close();
  });

  it('answers /favicon.ico with a 32×32 icon of our mark, cached for a day', async () => {
    for (const dir of [root, join(root, 'not-built')]) {
      const app = await appWith(dir);
      const res = await app.inject({ url: '/favicon.ico' });
      expect(res.statusCode).toBe(200);
      expect(res.headers).toMatchObject({ 'content-type': 'image/x-icon', 'cache-control': 'public, max-age=86400' });
      const ico = res.rawPayload;
      // ICONDIR: reserved 0, type 1 (icon), one image of 32×32 at 32 bits, its bitmap right after.
      expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4), ico[6], ico[7], ico.readUInt16LE(12)]).toEqual([0, 1, 1, 32, 32, 32]);
      const offset = ico.readUInt32LE(18);
      expect(offset + ico.readUInt32LE(14)).toBe(ico.length);
      expect(ico.readUInt32LE(offset)).toBe(40);
      // Bottom-up BGRA rows: the corner is transparent, the middle of the square indigo, the tallest bar white.
      const pixel = (x: number, y: number) => [...ico.subarray(offset + 40 + ((31 - y) * 32 + x) * 4, offset + 40 + ((31 - y) * 32 + x) * 4 + 4)];
      expect(pixel(0, 0)[3]).toBe(0);
      expect(pixel(4, 16)).toEqual([0xe5, 0x46, 0x4f, 255]);
      expect(pixel(16, 16)).toEqual([255, 255, 255, 255]);
      await app.close();
    }
  });
});

describe('prompt version diff', () => {
  it('keeps common lines and marks the rest added or removed, in order', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
    expect(diffLines('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
  });
});
