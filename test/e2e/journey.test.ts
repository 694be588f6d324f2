import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildListeningApp } from '../helpers/app.js';
import { serveFixtureSite } from '../helpers/fixture-site.js';
import { browserMissing, launchChromium } from './browser.js';
import { signUp, upgradeThroughCheckout } from './flows.js';

const SHOTS = '/tmp/epoch-journey';

if (browserMissing) console.warn(`[journey e2e] skipped: ${browserMissing}`);

/**
 * Issue #9's whole-product journey, through the dashboard only, in the sandbox: sign up →
 * onboarding → simulate a call → see it in Calls and in the minutes → change the hours → see
 * the prompt change → upgrade in the Stripe emulator → locked features unlock.
 */
describe.skipIf(!!browserMissing)(`the whole product in a real browser${browserMissing ? ` (skipped: ${browserMissing})` : ''}`, () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let site: Awaited<ReturnType<typeof serveFixtureSite>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The website reader refuses loopback addresses unless the app is built for tests to allow them.
    [t, site, browser] = await Promise.all([buildListeningApp({ allowLoopbackFetch: true }), serveFixtureSite('clinic'), launchChromium()]);
    const context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await t?.close();
  });

  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  const promptHours = () => page.getByRole('region', { name: 'Managed section: Hours · opening hours' }).innerText();

  it('signs up, onboards, simulates a call, sees it billed, changes the hours and upgrades', async () => {
    await signUp(page, { name: 'Maya Chen', business: 'Harbor Dental', email: `maya-${Date.now()}@example.com` });
    // Before setup there is nothing to call: the banner sends the user back to the wizard.
    await page.getByRole('link', { name: 'Skip for now and go to the dashboard' }).click();
    const banner = page.getByRole('region', { name: 'Sandbox mode.' });
    await banner.getByText('Finish setup to try a call with your receptionist.').waitFor();
    expect(await banner.getByRole('button', { name: 'Simulate a call' }).count()).toBe(0);
    await banner.getByRole('link', { name: 'Finish setup' }).click();
    await page.waitForURL('**/onboarding');

    // Onboarding: the website is read, the details reviewed, a voice picked, the receptionist created.
    await page.getByLabel('Website address').fill(site.url);
    await page.getByRole('button', { name: 'Read my website' }).click();
    await page.getByRole('heading', { name: 'Check your business details' }).waitFor();
    await page.getByRole('button', { name: 'Looks good, next' }).click();
    await page.getByRole('heading', { name: 'Pick a voice' }).waitFor();
    await page.getByRole('radio', { name: /Rachel/ }).check();
    await page.getByRole('button', { name: 'Continue with Rachel' }).click();
    await page.getByRole('button', { name: 'Create my receptionist' }).click();
    await page.getByRole('heading', { name: 'Your receptionist is ready' }).waitFor();
    await page.getByRole('link', { name: 'Go to your dashboard' }).click();
    await page.waitForURL('**/dashboard');
    await expect.poll(() => page.getByTestId('minutes-used').innerText()).toMatch(/^Minutes used\s+0 \/ 30 min/);

    // The sandbox banner plays a call through the VAPI emulator; Home's minutes follow without a reload.
    await banner.getByText('no real calls, charges or texts').waitFor();
    await banner.getByRole('button', { name: 'Simulate a call' }).click();
    await banner.getByRole('button', { name: 'Calling…' }).waitFor();
    const result = banner.getByRole('status');
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toMatch(/^Your assistant answered a call from \+1 \(\d{3}\) 555-01\d{2} \([1-3]:\d{2}\)\. See the call$/);
    const [, caller, length] = /from (.+) \((.+)\)/.exec(await result.innerText())!;
    await expect.poll(() => page.getByTestId('minutes-used').innerText()).toMatch(/^Minutes used\s+[1-4] \/ 30 min/);
    await page.getByRole('table').getByRole('link', { name: caller }).waitFor();
    await page.screenshot({ path: `${SHOTS}-home.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await banner.screenshot({ path: `${SHOTS}-banner-390.png` });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Calls lists it; its page has the summary, and the transcript is for paying plans.
    await nav('Calls');
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: caller }) });
    expect(await row.innerText()).toContain(length);
    await banner.getByRole('link', { name: 'See the call' }).click();
    await page.getByRole('heading', { name: caller, level: 1 }).waitFor();
    expect(await page.locator('section.card', { hasText: 'Summary' }).innerText()).toMatch(/Summary\s+\S+/);
    await page.getByText('Transcripts come with the Starter plan.').waitFor();

    // New hours: Monday opens at 8, Saturday closes; the prompt's hours section is rewritten.
    await nav('Assistant');
    await expect.poll(promptHours).toContain('Monday to Friday, 9 AM to 5 PM; Saturday, 10 AM to 2 PM; closed Sunday');
    // The prompt is read-only on the trial: its editor is an upgrade away.
    const promptCard = page.locator('section#prompt');
    await promptCard.getByText('Advanced plan').waitFor();
    expect(await promptCard.getByRole('button', { name: 'Edit prompt' }).count()).toBe(0);
    const hours = page.locator('section#hours');
    await hours.getByLabel('Monday opens').fill('08:00');
    await hours.getByRole('row', { name: /Saturday/ }).getByRole('checkbox').click();
    await hours.getByRole('button', { name: 'Save' }).click();
    await hours.getByText('Saved').waitFor();
    await expect.poll(promptHours).toContain('Monday, 8 AM to 5 PM; Tuesday to Friday, 9 AM to 5 PM; closed Saturday to Sunday');

    // Upgrade through the Stripe emulator's checkout page.
    await nav('Billing');
    await upgradeThroughCheckout(page, 'Pro');

    // Unlocked: the call's transcript, as a conversation, and the prompt editor.
    await nav('Calls');
    await page.getByRole('link', { name: caller }).click();
    const bubbles = page.locator('.conversation .bubble');
    await expect.poll(() => bubbles.count()).toBeGreaterThanOrEqual(4);
    expect(await bubbles.first().innerText()).toMatch(/Harbor/);
    expect(await page.getByText('Transcripts come with the Starter plan.').count()).toBe(0);
    await nav('Assistant');
    await promptCard.getByRole('button', { name: 'Edit prompt' }).waitFor();
    expect(await promptCard.getByText('Advanced plan').count()).toBe(0);
  }, 120_000);
});
