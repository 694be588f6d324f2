import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { setPlan, signedInOwner } from './helpers/factories.js';
import { serveFixtureSite } from './helpers/fixture-site.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
let site: Awaited<ReturnType<typeof serveFixtureSite>>;
beforeAll(async () => {
  t = await buildListeningApp({ allowLoopbackFetch: true });
  app = t.app;
  site = await serveFixtureSite('clinic', {});
});
afterAll(async () => {
  await site.close();
  await t.close();
});

const post = (cookie: string, url: string, payload?: object) => app.inject({ method: 'POST', url, payload, headers: { cookie } });
const websiteSection = async (cookie: string) =>
  ((await app.inject({ url: '/api/kb', headers: { cookie } })).json().sections as Array<{ key: string; vapiFileId: string; text: string }>).find((s) => s.key === 'website');

describe('living knowledge base', () => {
  it('re-reads the site with ETags: unchanged → no upload; changed → one upload', async () => {
    const owner = await signedInOwner(app);
    await setPlan(app, owner.organizationId, 'STARTER');
    await post(owner.cookie, '/api/onboarding/analyze', { url: site.url });
    expect((await post(owner.cookie, '/api/onboarding', { onboardingData: { businessName: 'Harbor Family Dentistry' }, complete: true })).json().completed).toBe(true);
    const before = await websiteSection(owner.cookie);
    expect(before?.text).toContain('Office hours');

    const unchanged = await post(owner.cookie, '/api/kb/refresh');
    expect(unchanged.json()).toEqual({ pagesChecked: 3, pagesChanged: 0, uploaded: false, errors: 0 });
    expect(site.notModified()).toBe(3);
    expect((await websiteSection(owner.cookie))?.vapiFileId).toBe(before!.vapiFileId);

    site.pages['/hours'] = '<html><body><h1>Office hours</h1><p>Monday - Friday: 8:00 AM - 6:00 PM</p></body></html>';
    const changed = await post(owner.cookie, '/api/kb/refresh');
    expect(changed.json()).toEqual({ pagesChecked: 3, pagesChanged: 1, uploaded: true, errors: 0 });
    const after = await websiteSection(owner.cookie);
    expect(after?.vapiFileId).not.toBe(before!.vapiFileId);
    expect(after?.text).toContain('8:00 AM - 6:00 PM');

    // The daily job does the same for every organization; nothing changed since, so nothing uploads.
    const job = await app.inject({ url: '/api/cron/website-refresh', headers: { authorization: 'Bearer test-cron-secret' } });
    expect(job.json()).toMatchObject({ uploaded: 0, errors: 0 });
  });

  it('is gated to Starter and managers', async () => {
    const owner = await signedInOwner(app);
    expect((await post(owner.cookie, '/api/kb/refresh')).statusCode).toBe(403);
  });
});
