import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import Papa from 'papaparse';
import { buildListeningApp } from '../helpers/app.js';
import { ownerWithAssistant } from '../helpers/factories.js';
import { a2pRegistrations, calls, followUps } from '../../src/db/schema/index.js';
import type { CallOutcome } from '../../src/domain/call-outcome.js';
import { accessibilityProblems, browserMissing, launchChromium, signedInContext } from './browser.js';

/** docs/screenshots with UPDATE_SCREENSHOTS=1 (the README shows them), a scratch folder otherwise. */
const SHOTS_DIR = process.env.UPDATE_SCREENSHOTS === '1' ? new URL('../../docs/screenshots/', import.meta.url).pathname : `${tmpdir()}/ev-screenshots/`;

describe.skipIf(!!browserMissing)(`the calls and texts workspace in a real browser${browserMissing ? ` (skipped: ${browserMissing})` : ''}`, () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let browser: Browser;
  let owner: Awaited<ReturnType<typeof ownerWithAssistant>>['owner'];
  let businessNumber: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([buildListeningApp(), launchChromium()]);
    mkdirSync(SHOTS_DIR, { recursive: true });
    ({ owner } = await ownerWithAssistant(t.app, { plan: 'PRO', organizationName: 'Acme Dental' }));
    const res = await t.app.inject({ method: 'POST', url: '/api/phone-numbers', payload: { areaCode: '415' }, headers: { cookie: owner.cookie } });
    businessNumber = res.json().phoneNumber;
    await t.app.ctx.db.insert(a2pRegistrations).values({ organizationId: owner.organizationId, status: 'CAMPAIGN_APPROVED' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openAs(width: number, path: string): Promise<Page> {
    const context = await signedInContext(browser, t.baseUrl, owner.cookie, { width, height: 900 });
    const page = await context.newPage();
    await page.goto(path);
    return page;
  }
  const noSidewaysScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);

  it('finds calls by words and by outcome/follow-up chips, and exports the same filtered rows (1280 and 390 px)', async () => {
    const outcome = (category: CallOutcome['category'], callbackRequested = false): CallOutcome => ({
      callerName: null,
      reason: null,
      category,
      urgent: false,
      callbackRequested,
      callbackNumber: null,
      appointmentBooked: category === 'appointment',
    });
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const made = await t.app.ctx.db
      .insert(calls)
      .values([
        { customerNumber: '+15552013344', summary: 'Wants a quote for a new water heater.', outcome: outcome('quote', true), startedAt: minutesAgo(30), durationSeconds: 140 },
        { customerNumber: '+15558675309', summary: 'Booked a cleaning on Tuesday.', outcome: outcome('appointment'), startedAt: minutesAgo(20), durationSeconds: 95 },
        { customerNumber: '+15550000001', summary: 'Robocall about car warranties.', outcome: outcome('spam'), startedAt: minutesAgo(10), durationSeconds: 12 },
      ].map((c, i) => ({ ...c, organizationId: owner.organizationId, vapiCallId: `call_ws_${i}_${owner.organizationId}`, status: 'COMPLETED' as const })))
      .returning();
    await t.app.ctx.db.insert(followUps).values({ callId: made[0]!.id, organizationId: owner.organizationId, status: 'open' });

    const page = await openAs(1280, '/dashboard/calls');
    const rows = page.locator('table.call-cards tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByRole('searchbox', { name: 'Search calls' }).fill('heater');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('(555) 201-3344');
    await page.getByRole('searchbox', { name: 'Search calls' }).fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(3);

    await page.getByRole('group', { name: 'Outcome' }).getByRole('button', { name: 'Appointment' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('(555) 867-5309');
    await page.getByRole('group', { name: 'Outcome' }).getByRole('button', { name: 'Any outcome' }).click();
    await page.getByRole('group', { name: 'Follow-up' }).getByRole('button', { name: 'Follow-up open' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('Quote');

    // The export link carries the same filters: fetch it as the browser would.
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toBe('/api/calls/export.csv?followUp=open');
    const csv = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body: await res.text() };
    }, href!);
    expect(csv).toMatchObject({ status: 200, type: 'text/csv; charset=utf-8' });
    expect(csv.disposition).toMatch(/^attachment; filename="calls-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...lines] = Papa.parse<string[]>(csv.body.trimEnd(), { newline: '\r\n' }).data;
    expect(header).toEqual(['Started (America/New_York)', 'Direction', 'Status', 'Caller', 'Minutes', 'Ended reason', 'Outcome', 'Summary', 'Transcript', 'Call id']);
    expect(lines.map((l) => [l[6], l[9]])).toEqual([['quote', made[0]!.id]]);

    // At phone width each call is a card: caller, time, length and outcome, nothing scrolling sideways.
    await page.getByRole('group', { name: 'Follow-up' }).getByRole('button', { name: 'Any follow-up' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    await page.setViewportSize({ width: 390, height: 844 });
    await noSidewaysScroll(page);
    expect(await rows.first().evaluate((tr) => getComputedStyle(tr).display)).toBe('grid');
    // innerText is what is shown: the summary is left out of the card.
    expect((await rows.first().innerText()).split('\n')).toEqual(['+1 (555) 000-0001', expect.stringMatching(/\d:\d\d [AP]M$/), '0:12', 'Completed', 'Spam']);
    await page.screenshot({ path: `${SHOTS_DIR}calls-390.png`, fullPage: true });
    await page.getByRole('group', { name: 'Outcome' }).getByRole('button', { name: 'Spam' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await page.context().close();
  });

  it('shows texts as threads with unread counts and an opted-out marker, opens one and replies (1280 and 390 px)', async () => {
    const textIn = async (from: string, body: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/sandbox/twilio/simulate-inbound-sms', payload: { from, to: businessNumber, body } });
      expect(res.statusCode).toBe(200);
    };
    await textIn('+15557650001', 'Do you take walk-ins?');
    await textIn('+15557650001', 'Also, is there parking?');
    await textIn('+15557650002', 'STOP');

    const page = await openAs(1280, '/dashboard');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Texts' }).click();
    const threads = page.locator('.threads li');
    await expect.poll(() => threads.count()).toBe(2);
    const walkIns = threads.filter({ hasText: '(555) 765-0001' });
    expect(await walkIns.getByLabel('2 unread').isVisible()).toBe(true);
    expect(await threads.filter({ hasText: '(555) 765-0002' }).innerText()).toContain('Opted out');

    await walkIns.getByRole('link').click();
    const bubbles = page.locator('.conversation .bubble');
    await expect.poll(() => bubbles.allInnerTexts()).toEqual(['Do you take walk-ins?', 'Also, is there parking?']);
    await expect.poll(() => walkIns.getByLabel('2 unread').count()).toBe(0); // opening the thread read it
    await page.getByLabel('Reply').fill('Yes to both, see you soon!');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => bubbles.allInnerTexts()).toEqual(['Do you take walk-ins?', 'Also, is there parking?', 'Yes to both, see you soon!']);
    await expect.poll(() => walkIns.innerText()).toContain('You: Yes to both');
    await page.screenshot({ path: `${SHOTS_DIR}texts-1280.png`, fullPage: true });
    expect(await accessibilityProblems(page, 'texts 1280')).toEqual([]);

    // The opted-out number's thread has no reply box.
    await threads.filter({ hasText: '(555) 765-0002' }).getByRole('link').click();
    await expect.poll(() => page.getByText('texted STOP').count()).toBe(1);
    expect(await page.getByLabel('Reply').count()).toBe(0);

    // At phone width: the list, then the conversation alone, reply included.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/dashboard/texts');
    await expect.poll(() => threads.count()).toBe(2);
    await noSidewaysScroll(page);
    await threads.filter({ hasText: '(555) 765-0001' }).getByRole('link').click();
    expect(await page.locator('.thread-list').isVisible()).toBe(false);
    await page.getByLabel('Reply').fill('Parking is behind the building.');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => bubbles.count()).toBe(4);
    await noSidewaysScroll(page);
    expect(await accessibilityProblems(page, 'texts 390')).toEqual([]);

    const sent = (await t.app.inject({ url: '/api/sms/threads/+15557650001', headers: { cookie: owner.cookie } })).json().messages;
    expect(sent.filter((m: { direction: string }) => m.direction === 'OUTBOUND').map((m: { body: string }) => m.body)).toEqual([
      'Yes to both, see you soon!',
      'Parking is behind the building.',
    ]);
    await page.context().close();
  });
});
