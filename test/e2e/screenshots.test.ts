import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildListeningApp } from '../helpers/app.js';
import { lastMailTo, signedInOwner, tokenFrom } from '../helpers/factories.js';
import { endOfCallReport, postVapi } from '../helpers/vapi.js';
import { startReceiver } from '../helpers/webhook-receiver.js';
import { accessibilityProblems, browserMissing, launchChromium } from './browser.js';

/**
 * The README links the committed shots (issue #9); `UPDATE_SCREENSHOTS=1 npm test` rewrites
 * them. Other runs render and check every page the same way into a scratch folder, so a test
 * run leaves the work tree clean.
 */
const SHOTS_DIR = process.env.UPDATE_SCREENSHOTS === '1' ? new URL('../../docs/screenshots/', import.meta.url).pathname : `${tmpdir()}/ev-screenshots/`;
const PHONE = { width: 390, height: 844 };
const VIEWPORTS = [{ width: 1280, height: 900 }, PHONE];
const HOUR = 3_600_000;

interface Seeded {
  callId: string;
}
/** Every page of the dashboard, one line each; `signedIn: false` pages are shot as a visitor. */
const PAGES: Array<{ name: string; path: string | ((s: Seeded) => string); signedIn?: false }> = [
  { name: 'login', path: '/login', signedIn: false },
  { name: 'register', path: '/register', signedIn: false },
  { name: 'forgot-password', path: '/forgot-password', signedIn: false },
  { name: 'onboarding', path: '/onboarding' },
  { name: 'home', path: '/dashboard' },
  { name: 'calls', path: '/dashboard/calls' },
  { name: 'call-detail', path: (s) => `/dashboard/calls/${s.callId}` },
  { name: 'assistant', path: '/dashboard/assistant' },
  { name: 'knowledge', path: '/dashboard/knowledge' },
  { name: 'phone', path: '/dashboard/phone' },
  { name: 'calendar', path: '/dashboard/calendar' },
  { name: 'widget', path: '/dashboard/widget' },
  { name: 'analytics', path: '/dashboard/analytics' },
  { name: 'digest', path: '/dashboard/digest' },
  { name: 'billing', path: '/dashboard/billing' },
  { name: 'call-handling', path: '/dashboard/call-handling' },
  { name: 'team', path: '/dashboard/team' },
  { name: 'webhooks', path: '/dashboard/webhooks' },
  { name: 'account', path: '/dashboard/account' },
];

const GREETING = 'Thanks for calling Harbor Dental, this is Ava. How can I help?';
/** A week of calls at Harbor Dental in the order they ended (oldest first): varied callers, lengths and conversations. */
const CALLS = [
  {
    ago: 75,
    seconds: 41,
    customer: '+12125550155',
    summary: 'Sales call about office supplies; caller blocked.',
    turns: [GREETING, 'Hi, I am calling about your office supply order…'],
  },
  {
    ago: 52,
    seconds: 130,
    customer: '+16505550144',
    summary: 'Toothache; transferred to the front desk for a same-day emergency visit.',
    turns: [GREETING, 'I have a bad toothache.', "I'm sorry. Let me put you through to the front desk right away."],
  },
  {
    ago: 28,
    seconds: 95,
    customer: '+15105550122',
    summary: 'Moved Tuesday’s cleaning to Thursday at 11am.',
    turns: [GREETING, 'I need to move my Tuesday appointment.', 'Done: Thursday at 11am.'],
  },
  {
    ago: 26,
    seconds: 240,
    customer: '+14155550133',
    summary: 'Asked what whitening costs and whether it is covered; sent the price list by SMS.',
    turns: [GREETING, 'How much is teeth whitening?', 'In-office whitening is $350. Insurance rarely covers it.'],
  },
  {
    ago: 5,
    seconds: 64,
    customer: '+15105550122',
    summary: 'Asked about Saturday hours.',
    turns: [GREETING, 'Are you open on Saturday?', 'Yes, Saturdays from 9am to 1pm.', 'Great, thanks.'],
  },
  {
    ago: 2,
    seconds: 185,
    customer: '+15105550111',
    summary: 'New patient booked a cleaning for Tuesday at 3pm; asked about Delta Dental coverage.',
    turns: [
      GREETING,
      "Hi, I'd like to book a cleaning. I'm a new patient.",
      'Welcome! We have Tuesday at 3pm or Wednesday at 10am. Which suits you?',
      'Tuesday at 3 works. Do you take Delta Dental?',
      'We do. You are booked for Tuesday at 3pm; bring your insurance card and arrive ten minutes early.',
      'Perfect, thank you!',
    ],
  },
];

/** One VAPI end-of-call report for a seeded call, with its own conversation and summary. */
function reportOf(assistantId: string, call: (typeof CALLS)[number]) {
  const startedAt = new Date(Date.now() - call.ago * HOUR);
  const report = endOfCallReport({ assistantId, seconds: call.seconds, customer: call.customer, startedAt });
  const messages = call.turns.map((message, i) => ({ role: i % 2 ? 'user' : 'bot', message, time: startedAt.getTime() + i * 9000, secondsFromStart: i * 9 }));
  report.message.artifact.messages = messages;
  report.message.artifact.transcript = call.turns.map((text, i) => `${i % 2 ? 'User' : 'AI'}: ${text}`).join('\n');
  report.message.analysis.summary = call.summary;
  return report;
}

describe.skipIf(!!browserMissing)(`screenshots and accessibility of every page${browserMissing ? ` (skipped: ${browserMissing})` : ''}`, () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let browser: Browser;
  const contexts: { visitor?: BrowserContext; owner?: BrowserContext } = {};
  const seeded: Seeded = { callId: '' };

  /** A Pro dental practice the way a customer gets there: signed up, paid through Stripe, onboarded; then calls, knowledge, calendar, widget, team and a webhook. */
  async function seedOrganization() {
    const owner = await signedInOwner(t.app, { name: 'Jane Smith', email: 'jane@harbordental.example', organizationName: 'Harbor Dental' });
    const api = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
      const res = await t.app.inject({ method, url, headers: { cookie: owner.cookie }, ...(payload ? { payload } : {}) });
      if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };

    const checkout = await api('POST', '/api/stripe/checkout', { planTier: 'PRO' });
    const pay = await t.app.inject({ method: 'POST', url: `${new URL(checkout.url).pathname}/pay`, payload: { card: '4242424242424242' } });
    if (pay.statusCode !== 303) throw new Error(`checkout payment: ${pay.statusCode} ${pay.body}`);
    await api('PUT', '/api/billing/overage', { enabled: true });

    const weekday = { open: '08:00', close: '17:00' };
    await api('POST', '/api/onboarding', {
      complete: true,
      onboardingData: {
        businessName: 'Harbor Dental',
        businessType: 'Dental clinic',
        description: 'Family dentistry in Oakland: cleanings, fillings, whitening and same-day emergencies.',
        websiteUrl: 'https://harbordental.example',
        voiceId: '21m00Tcm4TlvDq8ikWAM',
        voiceName: 'Rachel',
        hours: { monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday, saturday: { open: '09:00', close: '13:00' } },
        timezone: 'America/Los_Angeles',
        address: '88 Harbor Way, Oakland, CA 94607',
        areaCode: '510',
        transferNumber: '+15105550199',
      },
    });
    await api('PUT', '/api/assistant-name', { name: 'Ava' });
    await api('PUT', '/api/kb', { sectionKey: 'faqs', text: 'Do you take walk-ins? Yes, until 3pm on weekdays.\nDo you see children? Yes, from age 3.' });
    await api('PUT', '/api/kb', { sectionKey: 'prices', text: 'Cleaning: $120\nWhitening: $350\nFilling: from $180' });
    await api('POST', '/api/calendar/connect', { apiKey: 'cal_test_harbor_dental', eventTypeId: 1001 });
    await api('POST', '/api/embed-token', { allowedDomains: ['harbordental.example', '*.harbordental.example'], label: 'Website' });
    await api('POST', '/api/api-keys', { label: 'Booking system' });
    await api('PUT', '/api/me/preferences', { dailyDigest: true });

    // A colleague who joined, and one invitation still open.
    await api('POST', '/api/members/invite', { email: 'sam@harbordental.example', role: 'admin' });
    const token = tokenFrom((await lastMailTo(t.app, 'sam@harbordental.example'))?.text ?? '');
    const accepted = await t.app.inject({ method: 'POST', url: '/api/members/accept', payload: { token, name: 'Sam Patel', password: 'securepass123' } });
    if (accepted.statusCode !== 201) throw new Error(`accept invite: ${accepted.statusCode} ${accepted.body}`);
    await api('POST', '/api/members/invite', { email: 'lee@harbordental.example', role: 'member' });

    // The webhook endpoint exists before the calls, so its delivery log has entries.
    await api('POST', '/api/webhook-endpoints', { url: receiver.url, events: ['call.ended', 'call.analyzed'] });
    const [{ vapiAssistantId }] = (await api('GET', '/api/assistants')).assistants;
    for (const call of CALLS) {
      const res = await postVapi(t.app, reportOf(vapiAssistantId, call));
      if (res.statusCode !== 200) throw new Error(`call report: ${res.statusCode} ${res.body}`);
    }
    const { calls } = await api('GET', '/api/calls');
    seeded.callId = calls[0].id;
    await api('POST', `/api/calls/${calls.at(-1).id}/block`);
    return owner.cookie;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS_DIR, { recursive: true });
    // The webhook transport refuses loopback addresses unless the app is built for tests to allow them.
    [t, receiver, browser] = await Promise.all([buildListeningApp({ allowLoopbackFetch: true }), startReceiver(), launchChromium()]);
    const cookie = await seedOrganization();
    contexts.visitor = await browser.newContext({ baseURL: t.baseUrl });
    contexts.owner = await browser.newContext({ baseURL: t.baseUrl });
    const [name, value] = cookie.split('=') as [string, string];
    await contexts.owner.addCookies([{ name, value, url: t.baseUrl }]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await receiver?.stop();
    await t?.close();
  });

  /** Loaded, fetched and drawn: no request in flight, no loading indicator, fonts ready. */
  async function settle(page: Page) {
    await page.waitForLoadState('networkidle');
    await page.waitForFunction(() => !document.querySelector('.loading, .spinner') && document.fonts.status === 'loaded');
  }

  for (const entry of PAGES) {
    it(`${entry.name}: screenshots at 1280 and 390 px, no serious axe finding, no sideways scroll on a phone`, async () => {
      const path = typeof entry.path === 'function' ? entry.path(seeded) : entry.path;
      const page = await contexts[entry.signedIn === false ? 'visitor' : 'owner']!.newPage();
      const problems: string[] = [];
      try {
        for (const viewport of VIEWPORTS) {
          const where = `${entry.name} at ${viewport.width} px`;
          await page.setViewportSize(viewport);
          await page.goto(path);
          await settle(page);
          expect(new URL(page.url()).pathname, `${where} stayed on its page`).toBe(path);
          await page.screenshot({ path: `${SHOTS_DIR}${entry.name}-${viewport.width}.png`, fullPage: true });
          problems.push(...(await accessibilityProblems(page, where)));
          if (viewport === PHONE) {
            const scrollWidth = await page.evaluate(() => document.scrollingElement!.scrollWidth);
            if (scrollWidth > viewport.width + 1) problems.push(`${where}: the page is ${scrollWidth} px wide and scrolls sideways`);
          }
        }
      } finally {
        await page.close();
      }
      expect(problems).toEqual([]);
    }, 60_000);
  }
});
