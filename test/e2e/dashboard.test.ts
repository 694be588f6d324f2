import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildListeningApp } from '../helpers/app.js';
import { browserMissing, launchChromium } from './browser.js';
import { setPlan } from '../helpers/factories.js';
import { endOfCallReport, postVapi } from '../helpers/vapi.js';

const SHOTS = '/tmp/epoch-dashboard';

/** The dashboard is built by `npm run build`, and the browser comes from Debian: without either, say why and skip. */
const missing = browserMissing;
if (missing) console.warn(`[dashboard e2e] skipped: ${missing}`);

describe.skipIf(!!missing)(`dashboard in a real browser${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      buildListeningApp(),
      launchChromium(),
    ]);
    context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The browser's session cookie, for setting up data through the API. */
  const cookieHeader = async () => (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

  it('signs up, signs out and in, sees Home, a call and the assistant settings', async () => {
    const email = `owner-${Date.now()}@example.com`;
    const password = 'securepass123';

    await page.goto('/register');
    await page.getByLabel('Your name').fill('Jane Smith');
    await page.getByLabel('Business name').fill('Acme Dental');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    // A new account goes to the setup wizard first; this test skips it.
    await page.waitForURL('**/onboarding');
    await page.getByRole('link', { name: 'Skip for now and go to the dashboard' }).click();
    await page.waitForURL('**/dashboard');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/dashboard');
    await expect.poll(() => page.getByTestId('minutes-used').innerText()).toMatch(/^Minutes used\s+0 \/ 30 min/);
    await page.screenshot({ path: `${SHOTS}-home.png`, fullPage: true });

    // An assistant on the Pro plan and one answered call, set up through the API and the VAPI emulator.
    const cookie = await cookieHeader();
    const session = (await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } })).json();
    await setPlan(t.app, session.user.organizationId, 'PRO');
    const remote = await t.app.ctx.providers.vapi.createAssistant({ name: 'Reception AI', systemPrompt: 'Be kind to every caller.' });
    const created = await t.app.inject({ method: 'POST', url: '/api/assistants', headers: { cookie }, payload: { vapiAssistantId: remote.id, name: 'Reception AI' } });
    expect(created.statusCode).toBe(201);
    expect((await postVapi(t.app, endOfCallReport({ assistantId: remote.id, seconds: 192 }))).statusCode).toBe(200);

    await page.getByRole('link', { name: 'Calls', exact: true }).click();
    await page.getByRole('link', { name: '+1 (555) 123-4567' }).click();
    await expect.poll(() => page.locator('.bubble').first().innerText()).toBe('Thanks for calling Acme Dental');
    await page.screenshot({ path: `${SHOTS}-call.png`, fullPage: true });

    await page.getByRole('link', { name: 'Assistant', exact: true }).click();
    await page.getByRole('heading', { name: 'Instructions (system prompt)' }).waitFor();
    await expect.poll(() => page.getByLabel('Assistant name').inputValue()).toBe('Reception AI');
    expect(await page.locator('.prompt-section').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}-assistant.png`, fullPage: true });
  });
});
