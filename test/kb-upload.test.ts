import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { setPlan, signedInOwner } from './helpers/factories.js';
import { makeDocx, makePdf } from './helpers/documents.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
let owner: Awaited<ReturnType<typeof signedInOwner>>;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
  owner = await signedInOwner(app);
  await setPlan(app, owner.organizationId, 'STARTER');
  const remote = await app.ctx.providers.vapi.createAssistant({ name: 'R', systemPrompt: 'Hi' });
  await app.inject({ method: 'POST', url: '/api/assistants', headers: { cookie: owner.cookie }, payload: { vapiAssistantId: remote.id, name: 'R' } });
});
afterAll(() => t.close());

/** A multipart body by hand: what a browser's FormData sends. */
function multipart(fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }) {
  const boundary = '----ev-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: owner.cookie } };
}
const upload = (fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }) =>
  app.inject({ method: 'POST', url: '/api/kb/upload', ...multipart(fields, file) });
const sections = async () => (await app.inject({ url: '/api/kb', headers: { cookie: owner.cookie } })).json().sections as Array<{ key: string; text: string }>;

describe('knowledge-base upload', () => {
  it('turns a real PDF, DOCX, CSV and TXT into sections', async () => {
    const pdf = await upload({ section: 'handbook' }, { name: 'handbook.pdf', type: 'application/pdf', data: makePdf(['Office policy: arrive 10 minutes early.']) });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.json()).toMatchObject({ fileId: expect.any(String), fileName: 'handbook.pdf', fileSize: expect.any(Number) });
    const docx = await upload({}, { name: 'Price List.docx', type: 'application/octet-stream', data: await makeDocx(['Cleaning: $120', 'Whitening: $300']) });
    expect(docx.statusCode).toBe(200);
    await upload({ section: 'insurance' }, { name: 'plans.csv', type: 'text/csv', data: Buffer.from('Plan,Accepted\nDelta,yes\nAetna,no\n') });
    await upload({ section: 'faqs' }, { name: 'faq.txt', type: 'text/plain', data: Buffer.from('\uFEFFQ: Parking?\nA: Free in the back.') });
    const byKey = Object.fromEntries((await sections()).map((s) => [s.key, s.text]));
    expect(byKey.handbook).toContain('arrive 10 minutes early');
    expect(byKey['price-list']).toContain('Whitening: $300');
    expect(byKey.insurance).toContain('Delta');
    expect(byKey.faqs).toBe('Q: Parking?\nA: Free in the back.');
  });

  it('answers 413 past 10 MB, 400 for other types, a DOCX zip bomb and an encrypted PDF', async () => {
    const big = await upload({ section: 'big' }, { name: 'big.txt', type: 'text/plain', data: Buffer.alloc(10 * 1024 * 1024 + 10, 'a') });
    expect(big.statusCode).toBe(413);
    const png = await upload({}, { name: 'logo.png', type: 'image/png', data: Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1') });
    expect(png.statusCode).toBe(400);

    const bomb = new JSZip();
    bomb.file('word/document.xml', Buffer.alloc(60 * 1024 * 1024, 0x41), { compression: 'DEFLATE' });
    const bombed = await upload({}, { name: 'bomb.docx', type: 'application/octet-stream', data: await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }) });
    expect(bombed.statusCode).toBe(400);
    expect(bombed.json().error).toMatch(/zip bomb/);

    const encrypted = Buffer.from(makePdf(['secret']).toString('latin1').replace('/Root 1 0 R', '/Root 1 0 R /Encrypt 6 0 R'), 'latin1');
    const locked = await upload({}, { name: 'locked.pdf', type: 'application/pdf', data: encrypted });
    expect(locked.statusCode).toBe(400);
    expect(locked.json().error).toMatch(/encrypted/);
    expect((await sections()).map((s) => s.key)).not.toContain('bomb');
  });

  it('needs a file, a valid section key, multipart, and the Starter plan', async () => {
    expect((await upload({ section: 'x' })).statusCode).toBe(400);
    const unnamed = await upload({ section: '!!!' }, { name: 'a.txt', type: 'text/plain', data: Buffer.from('hello') });
    expect(unnamed.json()).toMatchObject({ code: 'VALIDATION_FAILED', error: 'Section name needs at least one letter or digit', details: [{ field: 'body.section' }] });
    const json = await app.inject({ method: 'POST', url: '/api/kb/upload', headers: { cookie: owner.cookie }, payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
    const free = await signedInOwner(app);
    const res = await app.inject({ method: 'POST', url: '/api/kb/upload', ...multipart({}, { name: 'a.txt', type: 'text/plain', data: Buffer.from('hi') }), headers: { ...multipart({}).headers, cookie: free.cookie } });
    expect(res.statusCode).toBe(403);
  });

  it('names a section in words, and refuses a document longer than a section holds instead of cutting it', async () => {
    const named = await upload({ section: 'Price list' }, { name: 'prices.txt', type: 'text/plain', data: Buffer.from('Cleaning: $120') });
    expect(named.statusCode).toBe(200);
    expect((await sections()).map((s) => s.key)).toContain('price-list');
    const huge = await upload({ section: 'manual' }, { name: 'manual.txt', type: 'text/plain', data: Buffer.from('word '.repeat(50_000)) });
    expect(huge.statusCode).toBe(400);
    expect(huge.json()).toMatchObject({
      error: 'This document has 249,999 characters of text; a section holds at most 200,000. Split it into smaller files.',
      details: [{ field: 'body.file' }],
    });
    expect((await sections()).map((s) => s.key)).not.toContain('manual');
  });
});
