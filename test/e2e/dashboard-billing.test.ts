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

    // On Pro: a number from an area code, then the SMS registration (its fee through its own Checkout).
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
    await page.getByRole('button', { name: 'Pay $20 and continue' }).click();
    await page.waitForURL('**/sandbox/stripe/checkout/**');
    await page.getByRole('button', { name: 'Pay $20.00' }).click();
    await page.getByText('Payment received: the SMS registration fee is paid.').waitFor();
    await page.getByRole('button', { name: 'Start brand registration' }).click();
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

  it('a declined card: the decline on Checkout, a banner on every page, and a new card in the portal starts the plan', async () => {
    const declined = await ownerWithAssistant(t.app, { plan: 'FREE', organizationName: 'Cove Dental' });
    const other = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    const [name, value] = declined.owner.cookie.split('=') as [string, string];
    await other.addCookies([{ name, value, url: t.baseUrl }]);
    const p = await other.newPage();
    await p.goto('/dashboard/billing');
    await p.getByRole('button', { name: 'Upgrade to Pro' }).click();
    await p.waitForURL('**/sandbox/stripe/checkout/**');
    await p.getByLabel('Card number').fill('4000 0000 0000 0002');
    await p.getByRole('button', { name: /^Pay/ }).click();
    await p.getByRole('alert').getByText('Your card was declined.').waitFor();
    await p.getByLabel('Card number').fill('4000 0000 0000 0341');
    await p.getByRole('button', { name: /^Pay/ }).click();
    await p.waitForURL('**/dashboard/billing?checkout=success*');
    await p.getByText('Your card was saved but the payment was declined, so the Pro plan has not started.', { exact: false }).waitFor();
    await p.getByRole('heading', { name: 'Free trial plan' }).waitFor();

    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calls', exact: true }).click();
    const banner = p.locator('.payment-banner');
    await banner.getByText('The first payment for the Pro plan was declined, so the plan has not started.').waitFor();
    await p.screenshot({ path: `${SHOTS}-payment-banner.png`, fullPage: true });
    await banner.getByRole('button', { name: 'Update card' }).click();
    await p.waitForURL('**/sandbox/stripe/portal/**');
    await p.getByLabel('Card number').fill('4242 4242 4242 4242');
    await p.getByRole('button', { name: 'Replace card' }).click();
    await p.getByText('Card saved, and your open invoice is paid.').waitFor();
    await p.getByRole('link', { name: 'Return' }).click();
    await p.waitForURL('**/dashboard/calls');
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing', exact: true }).click();
    await p.getByRole('heading', { name: 'Pro plan' }).waitFor();
    expect(await p.locator('.payment-banner').count()).toBe(0);
    await other.close();
  });

  it('creates an API key and an embed token, each shown once', async () => {
    await nav('Developers');
    await page.getByLabel('Label').fill('Booking system');
    await page.getByRole('button', { name: 'Create key' }).click();
    expect(await page.getByLabel('New API key').innerText()).toMatch(/^evk_/);
    await shoot('developers');

    await nav('Widget');
    await page.getByLabel('Websites allowed to use it').fill('harbordental.com\n*.harbordental.com');
    await page.getByRole('button', { name: 'Create embed token' }).click();
    const token = await page.getByLabel('New embed token').innerText();
    expect(token).toMatch(/^ept_/);
    expect(await page.getByLabel('Snippet with the new token').innerText()).toBe(`<script src="${t.baseUrl}/widget.js" data-token="${token}" async></script>`);
    await shoot('widget');
  });
});
