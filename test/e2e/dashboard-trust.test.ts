import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildListeningApp } from '../helpers/app.js';
import { lastMailTo, ownerWithAssistant, signedInOwner, uniqueEmail } from '../helpers/factories.js';
import { accessibilityProblems, browserMissing, launchChromium, signedInContext } from './browser.js';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const WIDTHS = [
  ['1280', DESKTOP],
  ['390', PHONE],
] as const;

if (browserMissing) console.warn(`[dashboard trust e2e] skipped: ${browserMissing}`);

/** Issue 21: phone navigation, the Developers page, the Account page, the Assistant empty state and the prompt editor. */
describe.skipIf(!!browserMissing)(`a dashboard a busy owner trusts, in a real browser${browserMissing ? ` (skipped: ${browserMissing})` : ''}`, () => {
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

  async function pageAs(owner: { cookie: string }, viewport: { width: number; height: number }): Promise<Page> {
    const context = await signedInContext(browser, t.baseUrl, owner.cookie, viewport);
    contexts.push(context);
    const page = await context.newPage();
    // A missing element fails at its line, well inside the test's own timeout.
    page.setDefaultTimeout(10_000);
    return page;
  }
  const noAxeProblems = async (page: Page, where: string) => expect(await accessibilityProblems(page, where)).toEqual([]);
  const overflowsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  const session = async (owner: { cookie: string }) => (await t.app.inject({ url: '/api/auth/session', headers: { cookie: owner.cookie } })).json();

  describe('navigation', () => {
    it('at 1280 keeps the sidebar with every page, Developers included, and no bottom bar', async () => {
      const owner = await signedInOwner(t.app);
      const page = await pageAs(owner, DESKTOP);
      await page.goto('/dashboard/billing');
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Developers' }).waitFor();
      for (const label of ['Home', 'Calls', 'Follow-ups', 'Billing', 'Team', 'Developers']) expect(await nav.getByRole('link', { name: label, exact: true }).isVisible()).toBe(true);
      expect(await nav.getByRole('link', { name: 'Billing' }).getAttribute('aria-current')).toBe('page');
      expect(await page.getByRole('button', { name: 'More' }).count()).toBe(0);
      await noAxeProblems(page, 'billing at 1280');
    });

    it('at 390 a bottom bar holds four pages and More, whose sheet reaches the rest (Escape, outside tap, focus, aria-current)', async () => {
      const { owner, vapiAssistantId } = await ownerWithAssistant(t.app, { plan: 'PRO' });
      // An open follow-up, so the badge has something to count.
      const call = await t.app.inject({
        method: 'POST',
        url: '/sandbox/vapi/simulate-call',
        payload: { assistantId: vapiAssistantId, customerNumber: '+15552013344', transcript: 'User: Hi, this is Dana Reyes. I would like a quote for a new water heater. Please call me back.' },
      });
      expect(call.statusCode, call.body).toBeLessThan(300);
      await expect.poll(async () => (await t.app.inject({ url: '/api/usage', headers: { cookie: owner.cookie } })).json().openFollowUps).toBe(1);
      const page = await pageAs(owner, PHONE);
      await page.goto('/dashboard');
      const bar = page.getByRole('navigation', { name: 'Main' });
      await bar.locator('.nav-badge', { hasText: '1' }).waitFor();
      expect(await bar.getByRole('link').allInnerTexts()).toEqual(['Home', 'Calls', expect.stringMatching(/^Follow-ups\s*1$/), 'Texts']);
      expect(await bar.getByRole('link', { name: 'Home' }).getAttribute('aria-current')).toBe('page');
      expect(await bar.getByRole('link', { name: 'Follow-ups 1 open' }).isVisible()).toBe(true);
      // Within thumb reach: the bar sits at the bottom of the screen, on screen.
      const box = (await bar.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height + 1);
      expect(box.y).toBeGreaterThan(PHONE.height - 120);
      expect(await page.getByRole('link', { name: 'Billing' }).count()).toBe(0);
      expect(await overflowsSideways(page)).toBe(false);
      await noAxeProblems(page, 'home at 390');

      const more = page.getByRole('button', { name: 'More' });
      expect(await more.getAttribute('aria-expanded')).toBe('false');
      await more.click();
      const sheet = page.getByRole('dialog', { name: 'More pages' });
      await sheet.waitFor();
      expect(await more.getAttribute('aria-expanded')).toBe('true');
      expect(await sheet.evaluate((el) => el.contains(document.activeElement))).toBe(true);
      for (const label of ['Billing', 'Team', 'Developers', 'Assistant', 'Daily digest']) expect(await sheet.getByRole('link', { name: label }).isVisible()).toBe(true);
      await noAxeProblems(page, 'More sheet at 390');

      await page.keyboard.press('Escape');
      await sheet.waitFor({ state: 'detached' });
      expect(await more.getAttribute('aria-expanded')).toBe('false');
      expect(await more.evaluate((el) => el === document.activeElement)).toBe(true);

      // A tap outside the sheet closes it too.
      await more.click();
      await sheet.waitFor();
      await page.mouse.click(PHONE.width / 2, 60);
      await sheet.waitFor({ state: 'detached' });

      await more.click();
      await sheet.getByRole('link', { name: 'Billing' }).click();
      await page.waitForURL('**/dashboard/billing');
      await sheet.waitFor({ state: 'detached' });
      await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
      await more.click();
      expect(await sheet.getByRole('link', { name: 'Billing' }).getAttribute('aria-current')).toBe('page');
      await page.keyboard.press('Escape');
      // The last line of a page is not hidden under the bar.
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const lastCard = (await page.locator('main .card').last().boundingBox())!;
      expect(lastCard.y + lastCard.height).toBeLessThanOrEqual((await bar.boundingBox())!.y + 1);
    });
  });

  describe.each(WIDTHS)('at %s px', (_, viewport) => {
    it('the Developers page holds the API reference link, API keys and webhooks; the old Webhooks address still opens them', async () => {
      const owner = await signedInOwner(t.app);
      const page = await pageAs(owner, viewport);
      await page.goto('/dashboard/developers');
      await page.getByRole('heading', { level: 1, name: 'Developers' }).waitFor();
      expect(await page.getByRole('link', { name: 'Open the API reference' }).getAttribute('href')).toBe('/docs');
      await page.getByText('No API keys.').waitFor();
      await page.getByLabel('Label').fill('Booking system');
      await page.getByRole('button', { name: 'Create key' }).click();
      const key = await page.getByRole('status').filter({ hasText: 'shown only this once' }).innerText();
      expect(key).toMatch(/evk_/);
      const keys = (await t.app.inject({ url: '/api/api-keys', headers: { cookie: owner.cookie } })).json().keys;
      expect(keys).toMatchObject([{ label: 'Booking system' }]);
      await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
      await page.getByText('No endpoints yet.').waitFor();
      expect(await page.getByLabel('Endpoint URL').isVisible()).toBe(true);
      expect(await overflowsSideways(page)).toBe(false);
      await noAxeProblems(page, `developers at ${viewport.width}`);

      // The old Webhooks address still opens them, on the Developers page.
      await page.goto('/dashboard/webhooks');
      await page.getByRole('heading', { level: 1, name: 'Developers' }).waitFor();
      await page.getByText('No endpoints yet.').waitFor();
      await page.goto('/dashboard/team');
      await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
      expect(await page.getByRole('heading', { name: 'API keys' }).count()).toBe(0);
      await page.getByRole('link', { name: 'Developers' }).first().waitFor();
      await noAxeProblems(page, `team at ${viewport.width}`);
    });

    it('the Account page changes the name, and the email once the link mailed to the new address is opened', async () => {
      const owner = await signedInOwner(t.app, { name: 'Jane Smith' });
      const page = await pageAs(owner, viewport);
      await page.goto('/dashboard/account');
      await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
      await page.getByLabel('Your name').fill('x'.repeat(5));
      await page.getByLabel('Your name').fill('Dr. Jane Smith');
      await page.getByRole('button', { name: 'Save name' }).click();
      await page.locator('#name').getByText('Saved').waitFor();
      expect((await session(owner)).user.name).toBe('Dr. Jane Smith');

      // A taken address is refused, next to the form.
      const other = await signedInOwner(t.app);
      await page.getByLabel('New email').fill(other.email);
      await page.getByLabel('Current password', { exact: true }).first().fill(owner.password);
      await page.getByRole('button', { name: 'Send confirmation link' }).click();
      await page.locator('#email').getByText('An account with this email already exists').waitFor();

      const newEmail = uniqueEmail('moved');
      await page.getByLabel('New email').fill(newEmail);
      await page.locator('#email').getByLabel('Current password').fill(owner.password);
      await page.getByRole('button', { name: 'Send confirmation link' }).click();
      await page.getByText(`We sent a confirmation link to ${newEmail}`).waitFor();
      expect((await session(owner)).user.email).toBe(owner.email.toLowerCase());
      await noAxeProblems(page, `account at ${viewport.width}`);

      const link = /(http\S+\/api\/account\/email\/confirm\?token=\S+)/.exec((await lastMailTo(t.app, newEmail))!.text)![1]!;
      await page.goto(link);
      await page.waitForURL('**/dashboard/account?email=confirmed');
      await page.getByText('Your email address is changed').waitFor();
      await page.getByText(`You sign in with ${newEmail}`).waitFor();
      expect((await lastMailTo(t.app, owner.email.toLowerCase()))!.subject).toBe('Your Epoch Voice email address was changed');
      // The same link a second time says so, plainly.
      await page.goto(link);
      await page.waitForURL('**/dashboard/account?email=link-expired');
      await page.getByText('That confirmation link was already used or has expired').waitFor();
      // The notification settings stay on the page.
      await page.getByRole('heading', { name: /Notifications/ }).first().waitFor();
      expect(await overflowsSideways(page)).toBe(false);
      await noAxeProblems(page, `account after confirming at ${viewport.width}`);
    });

    it('the Assistant page of an organization without an assistant shows the next step, no error and no invented name', async () => {
      const owner = await signedInOwner(t.app);
      const page = await pageAs(owner, viewport);
      await page.goto('/dashboard/assistant');
      await page.getByRole('heading', { name: 'Your receptionist is not set up yet' }).waitFor();
      await page.locator('#business').waitFor();
      await page.locator('#address').waitFor();
      expect(await page.locator('.note-error').count()).toBe(0);
      expect(await page.locator('main').innerText()).not.toMatch(/Savannah|No assistant yet/);
      expect(await page.getByLabel('Assistant name').count()).toBe(0);
      await page.getByRole('link', { name: 'Finish onboarding' }).click();
      await page.waitForURL('**/onboarding');
      await page.goBack();
      await page.getByRole('heading', { name: 'Your receptionist is not set up yet' }).waitFor();
      expect(await overflowsSideways(page)).toBe(false);
      await noAxeProblems(page, `assistant empty state at ${viewport.width}`);
    });

    it('the prompt editor edits each section in a labelled field, without markers, and saves the marked format', async () => {
      const { owner } = await ownerWithAssistant(t.app, { plan: 'PRO' });
      const page = await pageAs(owner, viewport);
      await page.goto('/dashboard/assistant#prompt');
      const card = page.locator('section#prompt');
      await card.getByRole('button', { name: 'Edit prompt' }).click();
      const persona = card.getByLabel('Persona', { exact: true });
      await persona.waitFor();
      // The registered assistant's own prompt ("Hi") stays first; a field at the end takes new instructions.
      expect(await card.getByLabel('Your own instructions at the start').inputValue()).toBe('Hi');
      for (const label of ['Business context', 'Hours', 'Address', 'Call transfer', 'Calendar booking', 'Knowledge base', 'Your own instructions after Knowledge base']) {
        expect(await card.getByLabel(label, { exact: true }).count(), label).toBe(1);
      }
      const values = await card.locator('textarea').evaluateAll((areas) => areas.map((a) => (a as HTMLTextAreaElement).value).join('\n'));
      expect(values).not.toContain('<!--');
      expect(await card.innerText()).not.toContain('section:');
      expect(await persona.inputValue()).toContain('Reception AI');
      await noAxeProblems(page, `prompt editor at ${viewport.width}`);

      await card.getByLabel('Your own instructions after Knowledge base').fill('Always offer the earliest appointment first.');
      await persona.fill(`${await persona.inputValue()} Speak warmly.`);
      await card.getByRole('button', { name: 'Save prompt' }).click();
      await card.getByText('Prompt saved.').waitFor();
      const saved: string = (await t.app.inject({ url: '/api/prompt', headers: { cookie: owner.cookie } })).json().systemPrompt;
      expect(saved).toMatch(/<!-- section:persona -->\n[^]*Speak warmly\.\n<!-- \/section:persona -->/);
      expect(saved).toMatch(/^Hi\s/);
      expect(saved).toMatch(/<!-- \/section:knowledge -->\n\nAlways offer the earliest appointment first\.$/);
      for (const key of ['context', 'hours', 'address', 'transfer', 'calendar', 'knowledge']) expect(saved).toContain(`<!-- section:${key} -->`);
      await card.getByText('Always offer the earliest appointment first.').waitFor();
    });
  });
});
