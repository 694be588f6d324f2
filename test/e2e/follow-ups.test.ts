import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildListeningApp } from '../helpers/app.js';
import { ownerWithAssistant, setPlan } from '../helpers/factories.js';
import { accessibilityProblems, browserMissing, launchChromium, signedInContext } from './browser.js';

/** docs/screenshots with UPDATE_SCREENSHOTS=1 (the README shows them), a scratch folder otherwise. */
const SHOTS_DIR = process.env.UPDATE_SCREENSHOTS === '1' ? new URL('../../docs/screenshots/', import.meta.url).pathname : `${tmpdir()}/ev-screenshots/`;

describe.skipIf(!!browserMissing)(`the follow-up inbox in a real browser${browserMissing ? ` (skipped: ${browserMissing})` : ''}`, () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [t, browser] = await Promise.all([buildListeningApp(), launchChromium()]);
    mkdirSync(SHOTS_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the owner gets a follow-up after a call asking for a callback and marks it done with a note', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(t.app, { plan: 'PRO' });
    await setPlan(t.app, owner.organizationId, 'PRO');
    const play = (customerNumber: string, transcript: string) =>
      t.app.inject({ method: 'POST', url: '/sandbox/vapi/simulate-call', payload: { assistantId: vapiAssistantId, customerNumber, transcript } });
    await play('+15552013344', 'User: Hi, this is Dana Reyes. I would like a quote for a new water heater. Please call me back.');
    await play('+15558675309', 'User: This is Sam Ortiz. Our basement is flooding, it is an emergency, call me back right away.');

    context = await signedInContext(browser, t.baseUrl, owner.cookie, { width: 1280, height: 900 });
    page = await context.newPage();
    await page.goto('/dashboard/follow-ups');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect.poll(() => nav.getByRole('link', { name: /Follow-ups/ }).innerText()).toContain('2');
    const items = page.locator('.follow-up');
    await expect.poll(() => items.count()).toBe(2);
    // Urgent first.
    expect(await items.nth(0).innerText()).toContain('Sam Ortiz');
    expect(await items.nth(0).getByRole('link', { name: 'Call back' }).getAttribute('href')).toBe('tel:+15558675309');
    expect(await items.nth(0).getByRole('link', { name: 'Text back' }).getAttribute('href')).toBe('sms:+15558675309');
    await page.screenshot({ path: `${SHOTS_DIR}follow-ups-1280.png`, fullPage: true });
    expect(await accessibilityProblems(page, 'follow-ups 1280')).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await accessibilityProblems(page, 'follow-ups 390')).toEqual([]);
    await page.screenshot({ path: `${SHOTS_DIR}follow-ups-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    const dana = items.filter({ hasText: 'Dana Reyes' });
    await dana.getByPlaceholder('Note (optional)').fill('Called back, quote sent');
    await dana.getByRole('button', { name: 'Mark done' }).click();
    await expect.poll(() => items.count()).toBe(1);
    await expect.poll(() => nav.getByRole('link', { name: /Follow-ups/ }).innerText()).toMatch(/Follow-ups\s*1$/);
    await page.getByRole('tab', { name: 'Done' }).click();
    await expect.poll(() => page.locator('.follow-up').first().innerText()).toContain('Called back, quote sent');
    const done = (await t.app.inject({ url: '/api/follow-ups?status=done', headers: { cookie: owner.cookie } })).json().followUps;
    expect(done).toMatchObject([{ callerName: 'Dana Reyes', note: 'Called back, quote sent', doneBy: owner.userId }]);
  });
});
