import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildListeningApp } from '../helpers/app.js';
import { ownerWithAssistant } from '../helpers/factories.js';
import { endOfCallReport, postVapi } from '../helpers/vapi.js';
import { accessibilityProblems, browserMissing, launchChromium, signedInContext } from './browser.js';

const VIEWPORTS = [
  { name: '1280', width: 1280, height: 900 },
  { name: '390', width: 390, height: 844 },
] as const;

if (browserMissing) console.warn(`[plan limits e2e] skipped: ${browserMissing}`);

describe.skipIf(!!browserMissing)(`plan limits and plain messages in a real browser${browserMissing ? ` (skipped: ${browserMissing})` : ''}`, () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([buildListeningApp(), launchChromium()]);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  /** A browser page at this width signed in as `owner` (its API session cookie, moved into the browser). */
  async function pageAs(owner: { cookie: string }, viewport: { width: number; height: number }): Promise<Page> {
    const context = await signedInContext(browser, t.baseUrl, owner.cookie, viewport);
    contexts.push(context);
    return context.newPage();
  }

  /** No axe finding and nothing wider than the screen. */
  async function checkPage(page: Page, where: string) {
    expect(await accessibilityProblems(page, where)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${where} overflows`).toBe(true);
  }

  for (const vp of VIEWPORTS) {
    it(`a free-trial call page names the plan with transcripts and its upgrade lands on checkout (${vp.name} px)`, async () => {
      const { owner, vapiAssistantId } = await ownerWithAssistant(t.app, { plan: 'FREE', organizationName: 'Harbor Dental' });
      expect((await postVapi(t.app, endOfCallReport({ assistantId: vapiAssistantId, seconds: 95, customer: '+15105550111' }))).statusCode).toBe(200);
      const calls = (await t.app.inject({ url: '/api/calls', headers: { cookie: owner.cookie } })).json();
      const callId = calls.calls[0].id as string;

      const page = await pageAs(owner, vp);
      await page.goto(`/dashboard/calls/${callId}`);
      const conversation = page.locator('section', { has: page.getByRole('heading', { name: 'Conversation' }) });
      await conversation.getByText('Transcripts come with the Starter plan.').waitFor();
      await checkPage(page, `call page ${vp.name}`);
      await page.screenshot({ path: `/tmp/epoch-plan-limits-call-${vp.name}.png`, fullPage: true });

      await conversation.getByRole('button', { name: 'Upgrade to Starter' }).click();
      await page.waitForURL('**/sandbox/stripe/checkout/**');
      if (vp.name !== '1280') return;
      // Paying there makes the business a Starter customer, and the transcript appears.
      await page.getByRole('button', { name: /^Pay/ }).click();
      await page.waitForURL('**/dashboard/billing?checkout=success*');
      await page.getByText('Payment received: you are now on the Starter plan.').waitFor();
      await page.goto(`/dashboard/calls/${callId}`);
      await page.getByRole('heading', { name: 'Conversation' }).waitFor();
      expect(await page.getByText('Transcripts come with the Starter plan.').count()).toBe(0);
    });

    it(`a KB section form shows its limits, puts the server's plain message next to the field, and saves "Price list" (${vp.name} px)`, async () => {
      const { owner } = await ownerWithAssistant(t.app, { plan: 'STARTER' });
      const page = await pageAs(owner, vp);
      await page.goto('/dashboard/knowledge');
      await page.getByRole('button', { name: '+ Add a section' }).click();
      await page.getByLabel('Section', { exact: true }).selectOption({ label: 'Other…' });
      const name = page.getByLabel('Section name', { exact: true });
      await name.fill('!!!');
      await page.getByLabel('Text', { exact: true }).fill('Cleaning: $120. Whitening: $350.');
      // The limits, before submit: the same numbers as the server's schema.
      const form = page.locator('form.add-section');
      await form.getByText('3 / 40 characters').waitFor();
      await form.getByText('32 / 200,000 characters').waitFor();

      await page.getByRole('button', { name: 'Add section' }).click();
      const message = 'Section name needs at least one letter or digit';
      // Next to the field: the input is marked invalid and described by the message.
      await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
      const errorId = (await name.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
      expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe(message);
      await checkPage(page, `knowledge error ${vp.name}`);
      await page.screenshot({ path: `/tmp/epoch-plan-limits-kb-error-${vp.name}.png`, fullPage: true });

      await name.fill('Price list');
      await page.getByRole('button', { name: 'Add section' }).click();
      await page.getByRole('heading', { name: 'Price list', level: 3 }).waitFor();
      await page.getByText('price-list', { exact: true }).waitFor();
      const kb = (await t.app.inject({ url: '/api/kb', headers: { cookie: owner.cookie } })).json();
      expect(kb.sections.map((s: { key: string; label: string }) => [s.key, s.label])).toEqual([['price-list', 'Price list']]);
      await checkPage(page, `knowledge saved ${vp.name}`);
    });

    it(`the transfer number form shows the server's plain sentence next to the field (${vp.name} px)`, async () => {
      const { owner } = await ownerWithAssistant(t.app, { plan: 'ADVANCED' });
      const page = await pageAs(owner, vp);
      await page.goto('/dashboard/phone');
      const field = page.getByLabel('Transfer to');
      await field.fill('the front desk');
      await page.locator('section#transfer').getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
      const errorId = (await field.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
      expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe('Enter the transfer number as a full phone number, e.g. +1 415 555 0100');
      await checkPage(page, `phone ${vp.name}`);
    });

    it(`gated cards and server plan gates name the plan that unlocks them, with its upgrade (${vp.name} px)`, async () => {
      const { owner } = await ownerWithAssistant(t.app, { plan: 'FREE' });
      const page = await pageAs(owner, vp);
      await page.goto('/dashboard/knowledge');
      await page.getByText('Adding and editing sections comes with the').waitFor();
      await page.getByRole('button', { name: 'Upgrade to Starter' }).waitFor();
      await checkPage(page, `knowledge gated ${vp.name}`);
      // A gate answered by the server (403 with details.plan) offers the upgrade to that plan.
      await page.goto('/dashboard/analytics');
      await page.getByText('This feature requires the Advanced plan or higher').waitFor();
      await page.getByRole('button', { name: 'Upgrade to Advanced' }).waitFor();
      await checkPage(page, `analytics gated ${vp.name}`);
    });
  }
});
