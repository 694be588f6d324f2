import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildListeningApp } from '../helpers/app.js';
import { browserMissing, launchChromium } from './browser.js';
import { ownerWithAssistant } from '../helpers/factories.js';
import { endOfCallReport, postVapi } from '../helpers/vapi.js';
import { upgradeThroughCheckout } from './flows.js';

const SHOTS = '/tmp/epoch-dashboard';
const HOUR = 3_600_000;

const missing = browserMissing;
if (missing) console.warn(`[dashboard e2e, billing] skipped: ${missing}`);

describe.skipIf(!!missing)(`billing, analytics, team and widget in a real browser${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let owner: Awaited<ReturnType<typeof ownerWithAssistant>>['owner'];

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      buildListeningApp(),
      launchChromium(),
    ]);
    // A free-trial business with an assistant and a few calls: two a day ago (the digest's day), three earlier, one caller twice.
    const setup = await ownerWithAssistant(t.app, { plan: 'FREE', organizationName: 'Harbor Dental' });
    owner = setup.owner;
    const calls = [
      { ago: 24, seconds: 95, customer: '+15105550111' },
      { ago: 25, seconds: 240, customer: '+15105550122' },
      { ago: 50, seconds: 130, customer: '+15105550111' },
      { ago: 75, seconds: 61, customer: '+15105550133' },
      { ago: 100, seconds: 300, customer: '+15105550144' },
    ];
    for (const c of calls) {
      const res = await postVapi(t.app, endOfCallReport({ assistantId: setup.vapiAssistantId, seconds: c.seconds, customer: c.customer, startedAt: new Date(Date.now() - c.ago * HOUR) }));
      expect(res.statusCode).toBe(200);
    }
    context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function shoot(name: string) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}-${name}.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}-${name}-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

  it('upgrades through the Stripe emulator, and analytics unlocks', async () => {
    await page.goto('/login');
    await page.getByLabel('Email', { exact: true }).fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/dashboard');

    await nav('Analytics');
    await page.getByText('Upgrade needed.').waitFor();

    await nav('Billing');
    await page.getByRole('heading', { name: 'Free trial plan' }).waitFor();
    await upgradeThroughCheckout(page, 'Pro');
    // click, not check(): the switch follows the server, so its state settles after the save, not at once.
    await page.getByRole('checkbox', { name: /Keep answering past my minutes/ }).click();
    await expect.poll(async () => (await t.app.inject({ url: '/api/billing/history', headers: { cookie: owner.cookie } })).json().currentOverage.overageEnabled).toBe(true);
    await shoot('billing');

    // Cancelling needs the acknowledgement; reactivating undoes it.
    const cancel = page.getByRole('button', { name: 'Cancel my plan' });
    expect(await cancel.isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: /I understand my Pro plan ends/ }).check();
    await cancel.click();
    await page.getByRole('heading', { name: 'Cancellation scheduled' }).waitFor();
    await page.getByRole('button', { name: 'Keep my plan' }).click();
    await page.getByRole('heading', { name: 'Cancel your plan' }).waitFor();

    // On Pro: a number from an area code, then the SMS registration (the fee goes on the card from checkout).
    await nav('Phone & SMS');
    await page.getByLabel('Area code').fill('415');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('+1 (415) 555-0100').waitFor();
    await page.getByRole('button', { name: 'Get a number in 415' }).click();
    await expect.poll(() => page.getByTestId('phone-number').innerText()).toMatch(/^\+1 \(415\)/);
    await page.getByLabel('Legal business name').fill('Harbor Dental LLC');
    await page.getByLabel('First name').fill('Maya');
    await page.getByLabel('Last name').fill('Chen');
    await page.getByLabel('Email', { exact: true }).fill('maya@harbordental.com');
    await page.getByLabel('Mobile phone').fill('+15105550177');
    await page.getByLabel('Sample message 1').fill('Hi, this is Harbor Dental: your cleaning is tomorrow at 10am. Reply STOP to opt out.');
    await page.getByRole('button', { name: 'Pay $20 and register' }).click();
    await expect.poll(() => page.locator('.track [aria-current="step"]').innerText()).toMatch(/Brand pending/);
    await page.getByText('Carriers are reviewing your business.').waitFor();
    await shoot('phone-a2p');

    await nav('Analytics');
    await expect.poll(() => page.locator('.stat').first().innerText()).toMatch(/^Calls\s+5\b/);
    expect(await page.locator('.heatmap .heat:not([data-empty])').count()).toBeGreaterThan(0);
    await page.getByText('1 number called more than once.').waitFor();
    await shoot('analytics');

    await nav('Daily digest');
    await expect.poll(() => page.locator('.digest-calls li').count()).toBeGreaterThan(0);
    await page.getByRole('checkbox', { name: 'Email me this every morning at 7' }).click(); // server-backed: its state settles after the save
    await expect.poll(async () => (await t.app.inject({ url: '/api/me/preferences', headers: { cookie: owner.cookie } })).json().dailyDigest).toBe(true);
    await shoot('digest');
  });

  it('creates an API key and an embed token, each shown once', async () => {
    await nav('Team');
    await page.getByLabel('Label').fill('Booking system');
    await page.getByRole('button', { name: 'Create key' }).click();
    expect(await page.getByLabel('New API key').innerText()).toMatch(/^evk_/);
    await shoot('team');

    await nav('Widget');
    await page.getByLabel('Websites allowed to use it').fill('harbordental.com\n*.harbordental.com');
    await page.getByRole('button', { name: 'Create embed token' }).click();
    const token = await page.getByLabel('New embed token').innerText();
    expect(token).toMatch(/^ept_/);
    expect(await page.getByLabel('Snippet with the new token').innerText()).toBe(`<script src="${t.baseUrl}/widget.js" data-token="${token}" async></script>`);
    await shoot('widget');
  });
});
