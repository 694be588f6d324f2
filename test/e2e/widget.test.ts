import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildListeningApp } from '../helpers/app.js';
import { setPlan, signedInOwner } from '../helpers/factories.js';
import { phoneNumbers } from '../../src/db/schema/index.js';
import { chromiumMissing, launchChromium } from './browser.js';

const SHOTS = '/tmp/epoch-widget';

const missing = chromiumMissing;
if (missing) console.warn(`[widget e2e] skipped: ${missing}`);

/** Stands in for the Twilio Voice JS SDK 2.x: records the Device's tokens, connects and hang-ups. */
const FAKE_TWILIO_SDK = `
window.__twilio = { tokens: [], connects: [], disconnects: 0 };
window.Twilio = { Device: function (token) {
  window.__twilio.tokens.push(token);
  this.on = function () {};
  this.updateToken = function (t) { window.__twilio.tokens.push(t); };
  this.connect = function (opts) {
    window.__twilio.connects.push(opts.params);
    var handlers = {};
    var call = {
      on: function (event, fn) { handlers[event] = fn; if (event === 'accept') Promise.resolve().then(function () { fn(call); }); return call; },
      disconnect: function () { window.__twilio.disconnects++; if (handlers.disconnect) handlers.disconnect(); },
    };
    return Promise.resolve(call);
  };
} };`;

/** A business's website on its own loopback origin, embedding the widget from the API's origin. */
async function serveSite(name: string, widget: () => { src: string; token: string }) {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/fake-twilio.js') {
      res.setHeader('content-type', 'application/javascript');
      res.end(FAKE_TWILIO_SDK);
      return;
    }
    const { src, token } = widget();
    const sdk = path === '/with-sdk' ? ' data-sdk="/fake-twilio.js"' : '';
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title>` +
        `<style>body{font:18px Georgia,serif;margin:3rem;background:#faf7f2} button{all:unset}</style></head>` +
        `<body><h1>${name}</h1><p>Family dentistry since 1998.</p>` +
        `<script src="${src}" data-token="${token}"${sdk} async></script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.skipIf(!!missing)(`call widget in a real browser${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let browser: Browser;
  let allowedSite: Awaited<ReturnType<typeof serveSite>>;
  let otherSite: Awaited<ReturnType<typeof serveSite>>;
  let owner: Awaited<ReturnType<typeof signedInOwner>>;
  let embedToken = '';
  const number = '+14155550123';
  const contexts: BrowserContext[] = [];

  const widget = () => ({ src: `${t.baseUrl}/widget.js`, token: embedToken });
  const host = (page: Page) => page.locator('#epoch-voice-widget');
  const widgetState = (page: Page) => host(page).getAttribute('data-state');
  const tokenResponse = (page: Page) =>
    page.waitForResponse((r) => r.url() === `${t.baseUrl}/api/widget/token` && r.request().method() === 'POST');

  async function newPage() {
    const context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
    contexts.push(context);
    return { context, page: await context.newPage() };
  }

  beforeAll(async () => {
    [t, browser, allowedSite, otherSite] = await Promise.all([
      buildListeningApp(),
      launchChromium(),
      serveSite('Acme Dental', () => widget()),
      serveSite('Copycat Dental', () => widget()),
    ]);
    owner = await signedInOwner(t.app, { organizationName: 'Acme Dental' });
    await setPlan(t.app, owner.organizationId, 'PRO');
    await t.app.ctx.db.insert(phoneNumbers).values({ organizationId: owner.organizationId, number, twilioPhoneNumberSid: 'PN0000000000000000000000000000e2e1' });
    // The business's site and this app's own demo page are allowed; the copycat site is not.
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/embed-token',
      headers: { cookie: owner.cookie },
      payload: { label: 'Main Website', allowedDomains: [allowedSite.host, new URL(t.baseUrl).host] },
    });
    expect(created.statusCode).toBe(200);
    embedToken = created.json().token;
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await Promise.all([allowedSite?.close(), otherSite?.close()]);
    await t?.close();
  });

  it('exchanges the token cross-origin from an allowed site and shows the sandbox call', async () => {
    const { page } = await newPage();
    await page.goto(allowedSite.url);
    const button = page.getByRole('button', { name: 'Call us' });
    await button.waitFor();
    expect(await widgetState(page)).toBe('idle');
    await page.screenshot({ path: `${SHOTS}-idle.png` });

    const answer = tokenResponse(page);
    await button.click();
    const res = await answer;
    expect(res.status()).toBe(200);
    expect(res.headers()['access-control-allow-origin']).toBe(allowedSite.url);
    const body = await res.json();
    expect(body).toMatchObject({ identity: expect.stringMatching(new RegExp(`^org_${owner.organizationId}:widget_[0-9a-f-]{36}$`)), phoneNumber: number, orgName: 'Acme Dental', expiresIn: 3600 });

    await expect.poll(() => widgetState(page)).toBe('sandbox');
    expect(await page.getByRole('status').innerText()).toBe('Calling… (sandbox)');
    expect(await host(page).locator('.hint').innerText()).toContain(number);
    await page.screenshot({ path: `${SHOTS}-allowed.png` });

    await page.getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => widgetState(page)).toBe('ended');
  });

  it('is refused from another origin, and says so politely', async () => {
    const { context, page } = await newPage();
    const warnings: string[] = [];
    page.on('console', (m) => void (m.type() === 'warning' && warnings.push(m.text())));
    await page.goto(otherSite.url);
    // Chromium's own network log sees the 403 that CORS hides from the page.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // Extra-info events may arrive before requestWillBeSent: keep them all, match by request id at the end.
    const ids = new Set<string>();
    const statuses = new Map<string, { status: number; acao?: string }>();
    const corsErrors = new Map<string, string | undefined>();
    cdp.on('Network.requestWillBeSent', (e) => void (e.request.url === `${t.baseUrl}/api/widget/token` && e.request.method === 'POST' && ids.add(e.requestId)));
    cdp.on('Network.responseReceivedExtraInfo', (e) => void statuses.set(e.requestId, { status: e.statusCode, acao: e.headers['access-control-allow-origin'] }));
    cdp.on('Network.loadingFailed', (e) => void corsErrors.set(e.requestId, e.corsErrorStatus?.corsError));
    const failed = page.waitForEvent('requestfailed', (r) => r.url() === `${t.baseUrl}/api/widget/token`);
    await page.getByRole('button', { name: 'Call us' }).click();
    expect((await failed).failure()?.errorText).toBe('net::ERR_FAILED');
    await expect.poll(() => [...ids].map((id) => [statuses.get(id), corsErrors.get(id)])).toEqual([[{ status: 403, acao: undefined }, 'MissingAllowOriginHeader']]);

    await expect.poll(() => widgetState(page)).toBe('error');
    expect(await host(page).getAttribute('data-error')).toBe('unavailable');
    expect(await page.getByRole('status').innerText()).toBe('Calling isn’t available on this website right now.');
    // The page could not read the refusal: CORS blocked it (no Access-Control-Allow-Origin).
    expect(warnings.some((w) => w.includes(otherSite.host) && w.includes('allowed domains'))).toBe(true);
    await page.screenshot({ path: `${SHOTS}-refused.png` });
  });

  it('places the call with the Twilio Voice SDK from data-sdk, and refreshes the token at 80% of its life', async () => {
    const { page } = await newPage();
    await page.clock.install();
    let exchanges = 0;
    page.on('response', (r) => void (r.url() === `${t.baseUrl}/api/widget/token` && r.request().method() === 'POST' && r.status() === 200 && exchanges++));
    await page.goto(`${allowedSite.url}/with-sdk`);
    await page.getByRole('button', { name: 'Call us' }).click();

    await expect.poll(() => page.getByRole('status').innerText()).toBe('Connected');
    const twilio = () => page.evaluate(() => (window as unknown as { __twilio: { tokens: string[]; connects: Array<{ To: string }>; disconnects: number } }).__twilio);
    expect((await twilio()).connects).toEqual([{ To: number }]);
    expect((await twilio()).tokens).toHaveLength(1);
    expect(exchanges).toBe(1);

    await page.clock.fastForward('47:00');
    expect((await twilio()).tokens).toHaveLength(1);
    await page.clock.fastForward('01:30');
    await expect.poll(async () => (await twilio()).tokens.length).toBe(2);
    expect(exchanges).toBe(2);
    await page.screenshot({ path: `${SHOTS}-sdk-call.png` });

    await page.getByRole('button', { name: 'Hang up' }).click();
    expect((await twilio()).disconnects).toBe(1);
    await expect.poll(() => widgetState(page)).toBe('ended');
  });

  it('works from the sandbox demo page, including creating a token for it', async () => {
    const { context, page } = await newPage();
    await page.goto(`${t.baseUrl}/widget-demo?token=${embedToken}`);
    await page.getByRole('button', { name: 'Call us' }).click();
    await expect.poll(() => widgetState(page)).toBe('sandbox');
    await page.screenshot({ path: `${SHOTS}-demo.png` });

    // Signed in as the owner, the demo page makes its own token for its own host.
    const [name, value] = owner.cookie.split('=');
    await context.addCookies([{ name: name!, value: value!, url: t.baseUrl }]);
    const fresh = await context.newPage();
    await fresh.goto(`${t.baseUrl}/widget-demo`);
    await fresh.getByRole('button', { name: 'Create a token for this page' }).click();
    await expect.poll(() => fresh.getByRole('status').first().innerText()).toContain('Widget loaded');
    const answer = tokenResponse(fresh);
    await fresh.getByRole('button', { name: 'Call us' }).click();
    expect((await answer).status()).toBe(200);
    await expect.poll(() => widgetState(fresh)).toBe('sandbox');
    expect(new URL(fresh.url()).searchParams.get('token')).toMatch(/^ept_/);
  });
});
