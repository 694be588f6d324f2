import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildListeningApp } from '../helpers/app.js';
import { setPlan, signedInOwner } from '../helpers/factories.js';
import { phoneNumbers } from '../../src/db/schema/index.js';
import { widgetSnippet } from '../../web/src/widget-snippet.js';
import { chromiumMissing, launchChromium } from './browser.js';

describe.skipIf(!!chromiumMissing)('the widget snippet as pasted, outside the sandbox, in a real browser', () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let browser: Browser;
  let site: Server;
  let siteUrl = '';
  let snippet = '';

  beforeAll(async () => {
    [t, browser] = await Promise.all([buildListeningApp({ env: { SANDBOX: '0' } }), launchChromium()]);
    site = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="en"><head><title>Acme Dental</title></head><body><h1>Acme Dental</h1>${snippet}</body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
    const owner = await signedInOwner(t.app, { organizationName: 'Acme Dental' });
    await setPlan(t.app, owner.organizationId, 'PRO');
    await t.app.ctx.db.insert(phoneNumbers).values({ organizationId: owner.organizationId, number: '+14155550124', twilioPhoneNumberSid: 'PN0000000000000000000000000000e2e2' });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/embed-token',
      headers: { cookie: owner.cookie },
      payload: { label: 'Main Website', allowedDomains: [new URL(siteUrl).host] },
    });
    expect(created.statusCode).toBe(200);
    snippet = widgetSnippet(t.baseUrl, created.json().token);
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
    await t?.close();
  });

  it('loads the Twilio Voice SDK from our server when the button is pressed', async () => {
    const context = await browser.newContext();
    // Nothing may leave the machine: the SDK's own connection attempts to Twilio are cut off.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    const page = await context.newPage();
    await page.goto(siteUrl);
    const sdkResponse = page.waitForResponse((r) => /\/widget\/twilio-voice-sdk\.[0-9a-f]{16}\.js$/.test(r.url()));
    await page.getByRole('button', { name: 'Call us' }).click();
    const sdk = await sdkResponse;
    expect(sdk.url().startsWith(`${t.baseUrl}/widget/`)).toBe(true);
    expect(sdk.status()).toBe(200);
    expect(sdk.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    await expect.poll(() => page.evaluate(() => typeof (window as { Twilio?: { Device?: unknown } }).Twilio?.Device)).toBe('function');
    await context.close();
  });
});
