import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { buildListeningApp } from '../helpers/app.js';
import { ownerWithAssistant, setPlan, signedInOwner } from '../helpers/factories.js';
import { startReceiver, verifySignature } from '../helpers/webhook-receiver.js';
import { browserMissing, launchChromium, signedInContext } from './browser.js';

const SHOTS = '/tmp/epoch-settings';
const PHONE = { width: 390, height: 844 };

if (browserMissing) console.warn(`[settings e2e] skipped: ${browserMissing}`);

describe.skipIf(!!browserMissing)(`call handling and webhook pages in a real browser${browserMissing ? ` (skipped: ${browserMissing})` : ''}`, () => {
  // Webhook deliveries go to a receiver on 127.0.0.1, which the SSRF guard refuses unless told otherwise.
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [t, browser, receiver] = await Promise.all([buildListeningApp({ allowLoopbackFetch: true }), launchChromium(), startReceiver()]);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await receiver?.stop();
    await t?.close();
  });

  /** A browser page signed in as `owner` (its API session cookie, moved into the browser). */
  async function pageAs(owner: { cookie: string }): Promise<Page> {
    const context = await signedInContext(browser, t.baseUrl, owner.cookie, { width: 1280, height: 900 });
    contexts.push(context);
    return context.newPage();
  }

  /** A new owner's organization on `plan`, and a page signed in as that owner. */
  async function ownerOnPlan(plan: string) {
    const owner = await signedInOwner(t.app);
    await setPlan(t.app, owner.organizationId, plan);
    return { owner, page: await pageAs(owner) };
  }

  const getJson = async (owner: { cookie: string }, url: string) => {
    const res = await t.app.inject({ url, headers: { cookie: owner.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  const card = (page: Page, id: string) => page.locator(`section#${id}`);

  it('blocks a number (a bad one first), lists it and unblocks it', async () => {
    const { owner, page } = await ownerOnPlan('STARTER');
    await page.goto('/dashboard');
    await page.getByRole('link', { name: 'Call handling' }).click();
    await page.getByRole('heading', { name: 'Call handling', level: 1 }).waitFor();

    const blocked = card(page, 'blocked');
    await blocked.getByText('No blocked numbers.').waitFor();
    await blocked.getByLabel('Phone number').fill('555-01');
    await blocked.getByRole('button', { name: 'Block number' }).click();
    await blocked.getByText('Must be a phone number, e.g. +15559876543').waitFor();
    expect(await blocked.getByLabel('Phone number').getAttribute('aria-invalid')).toBe('true');
    expect((await getJson(owner, '/api/blocked-numbers')).blockedNumbers).toEqual([]);

    await blocked.getByLabel('Phone number').fill('(555) 987-6543');
    await blocked.getByLabel('Reason (optional)').fill('Keeps selling extended warranties');
    await blocked.getByRole('button', { name: 'Block number' }).click();
    const row = blocked.getByRole('row', { name: /\+1 \(555\) 987-6543/ });
    await row.waitFor();
    expect(await row.innerText()).toContain('Keeps selling extended warranties');
    expect(await blocked.getByText('Must be a phone number').count()).toBe(0);
    expect((await getJson(owner, '/api/blocked-numbers')).blockedNumbers).toMatchObject([{ number: '+15559876543', reason: 'Keeps selling extended warranties' }]);
    await page.screenshot({ path: `${SHOTS}-blocked.png`, fullPage: true });

    // Blocking it twice is refused, and said so.
    await blocked.getByLabel('Phone number').fill('+1 555 987 6543');
    await blocked.getByRole('button', { name: 'Block number' }).click();
    await blocked.getByRole('alert').filter({ hasText: '+15559876543 is already blocked' }).waitFor();

    await row.getByRole('button', { name: 'Unblock' }).click();
    await row.getByRole('button', { name: 'Yes, unblock' }).click();
    await blocked.getByText('No blocked numbers.').waitFor();
    expect((await getJson(owner, '/api/blocked-numbers')).blockedNumbers).toEqual([]);
  });

  it('saves after-hours behaviour, languages and voicemail; they hold after a reload and on the server', async () => {
    const { owner } = await ownerWithAssistant(t.app, { plan: 'ENTERPRISE' });
    const page = await pageAs(owner);
    await page.goto('/dashboard/call-handling');

    const afterHours = card(page, 'after-hours');
    await afterHours.getByLabel('Take a message').waitFor();
    expect(await afterHours.getByLabel('Take a message').isChecked()).toBe(true);
    await afterHours.getByLabel('Transfer anyway').click();
    await afterHours.getByRole('button', { name: 'Save' }).click();
    await afterHours.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    const languages = card(page, 'languages');
    expect(await languages.getByLabel('English').isChecked()).toBe(true);
    await languages.getByLabel('Spanish').click();
    await languages.getByLabel('French').click();
    await languages.getByLabel('Default language').selectOption({ label: 'Spanish' });
    await languages.getByRole('button', { name: 'Save' }).click();
    await languages.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    const voicemail = card(page, 'voicemail');
    expect(await voicemail.getByText('Upgrade needed').count()).toBe(0);
    await voicemail.getByLabel('Detect answering machines').click();
    await voicemail.getByLabel('Message to leave (optional)').fill('Hi, this is Acme Dental about your appointment. Please call us back.');
    await voicemail.getByRole('button', { name: 'Save' }).click();
    await voicemail.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    await page.reload();
    await afterHours.getByLabel('Transfer anyway').waitFor();
    expect(await afterHours.getByLabel('Transfer anyway').isChecked()).toBe(true);
    expect(await afterHours.getByLabel('Take a message').isChecked()).toBe(false);
    for (const name of ['English', 'Spanish', 'French']) expect(await languages.getByLabel(name, { exact: true }).isChecked(), name).toBe(true);
    expect(await languages.getByLabel('German').isChecked()).toBe(false);
    expect(await languages.getByLabel('Default language').inputValue()).toBe('es');
    expect(await voicemail.getByLabel('Detect answering machines').isChecked()).toBe(true);
    await page.screenshot({ path: `${SHOTS}-call-handling.png`, fullPage: true });

    expect(await getJson(owner, '/api/after-hours')).toEqual({ afterHours: 'transfer-anyway' });
    expect(await getJson(owner, '/api/languages')).toEqual({ languages: ['es', 'en', 'fr'] });
    expect(await getJson(owner, '/api/voicemail')).toEqual({ enabled: true, message: 'Hi, this is Acme Dental about your appointment. Please call us back.' });
    // The assistant's instructions changed with them.
    const prompt = (await getJson(owner, '/api/prompt')).systemPrompt as string;
    expect(prompt).toContain('You speak Spanish, English and French: reply in the language the caller uses when it is one of these, otherwise in Spanish.');
  });

  it('shows a Starter organization that voicemail needs the Enterprise plan', async () => {
    const { page } = await ownerOnPlan('STARTER');
    await page.goto('/dashboard/call-handling');
    const voicemail = card(page, 'voicemail');
    await voicemail.getByText('Upgrade needed').waitFor();
    expect(await voicemail.innerText()).toContain('Outbound calls and voicemail detection come with the Enterprise plan.');
    expect(await voicemail.getByLabel('Detect answering machines').count()).toBe(0);
    // The rest of the page is the Starter plan's to use.
    expect(await card(page, 'after-hours').getByRole('button', { name: 'Save' }).count()).toBe(1);
    await page.setViewportSize(PHONE);
    expect(await overflowsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}-starter-phone.png`, fullPage: true });
  });

  it('adds a webhook endpoint, shows its secret once, tests, pauses and deletes it', async () => {
    const { owner, page } = await ownerOnPlan('PRO');
    await page.goto('/dashboard');
    await page.getByRole('link', { name: 'Developers' }).click();
    await page.getByText('No endpoints yet.').waitFor();

    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByLabel('A call starts').click();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secretNote = page.getByRole('status').filter({ hasText: 'shown only this once' });
    await secretNote.waitFor();
    const secret = await secretNote.getByLabel('Signing secret').innerText();
    expect(secret).toMatch(/^whsec_[0-9A-Za-z]{43}$/);

    const endpoint = page.getByRole('listitem').filter({ has: page.getByText(receiver.url, { exact: true }) });
    await endpoint.waitFor();
    expect(await endpoint.innerText()).toContain('Sends: A call ends · A call starts');
    expect(await endpoint.innerText()).toContain('Last delivery: none yet');
    const [saved] = (await getJson(owner, '/api/webhook-endpoints')).endpoints;
    expect(saved).toMatchObject({ url: receiver.url, events: ['call.ended', 'call.started'], enabled: true });

    // Shown once: a reload no longer has it.
    await page.reload();
    await endpoint.waitFor();
    expect(await page.content()).not.toContain(secret);

    const before = receiver.received.length;
    await endpoint.getByRole('button', { name: 'Send test event' }).click();
    await endpoint.getByText('Test event delivered: HTTP 200.').waitFor();
    const ping = receiver.received[before]!;
    expect(ping.json.type).toBe('ping');
    expect(verifySignature(ping.headers['epoch-signature'], ping.body, secret)).toBe(true);
    await endpoint.getByText('Deliveries', { exact: true }).click();
    const deliveries = endpoint.getByRole('table');
    await expect.poll(() => rowTexts(deliveries)).toEqual([expect.stringMatching(/^ping\s+Delivered\s+1\s+HTTP 200/)]);
    expect(await endpoint.getByText(/^Last delivery:/).innerText()).toBe('Last delivery: Delivered');

    // A receiver error reads as a failure, in the answer and in the log.
    receiver.script(500);
    await endpoint.getByRole('button', { name: 'Send test event' }).click();
    await endpoint.getByText('Test event failed: HTTP 500.').waitFor();
    await expect.poll(() => rowTexts(deliveries)).toEqual([expect.stringMatching(/^ping\s+Failed\s+1\s+HTTP 500/), expect.stringMatching(/^ping\s+Delivered/)]);

    // A rotated secret is shown once too, and signs from then on.
    await endpoint.getByRole('button', { name: 'Rotate secret' }).click();
    await endpoint.getByRole('button', { name: 'Yes, rotate' }).click();
    const rotated = await endpoint.getByRole('status').filter({ hasText: 'shown only this once' }).getByLabel('Signing secret').innerText();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await endpoint.getByRole('button', { name: 'Send test event' }).click();
    await endpoint.getByText('Test event delivered: HTTP 200.').waitFor();
    const last = receiver.received.at(-1)!;
    expect(verifySignature(last.headers['epoch-signature'], last.body, rotated)).toBe(true);
    expect(verifySignature(last.headers['epoch-signature'], last.body, secret)).toBe(false);
    await page.screenshot({ path: `${SHOTS}-webhooks.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    expect(await overflowsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}-webhooks-phone.png`, fullPage: true });

    await endpoint.getByLabel('Enabled').click();
    await endpoint.getByText('Paused', { exact: true }).waitFor();
    expect(await endpoint.getByLabel('Enabled').isChecked()).toBe(false);
    expect((await getJson(owner, `/api/webhook-endpoints/${saved.id}`)).endpoint.enabled).toBe(false);

    await endpoint.getByRole('button', { name: 'Delete' }).click();
    await endpoint.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('No endpoints yet.').waitFor();
    expect((await getJson(owner, '/api/webhook-endpoints')).endpoints).toEqual([]);
  });

  it('in the sandbox, suggests the built-in receiver: an endpoint pointing at it gets a verified ping', async () => {
    const { owner, page } = await ownerOnPlan('PRO');
    await page.goto('/dashboard/webhooks');
    await page.getByText('No endpoints yet.').waitFor();
    await page.getByRole('button', { name: 'Use it' }).click();
    const url = await page.getByLabel('Endpoint URL').inputValue();
    expect(url).toMatch(new RegExp(`^${t.baseUrl}/sandbox/webhook-receiver/`));
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const endpoint = page.getByRole('listitem').filter({ has: page.getByText(url, { exact: true }) });
    await endpoint.waitFor();
    await endpoint.getByRole('button', { name: 'Send test event' }).click();
    await endpoint.getByText('Test event delivered: HTTP 200.').waitFor();
    const received = (await (await fetch(url)).json()) as { deliveries: Array<{ eventType: string; signatureValid: boolean }> };
    expect(received.deliveries).toEqual([expect.objectContaining({ eventType: 'ping', signatureValid: true })]);
    expect((await getJson(owner, '/api/webhook-endpoints')).endpoints).toHaveLength(1);
  });
});

/** Wider than the window: the page scrolls sideways (tables scroll inside their own box instead). */
const overflowsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

/** Each body row's text, cells joined by whitespace. */
const rowTexts = (table: Locator) => table.locator('tbody tr').allInnerTexts();
