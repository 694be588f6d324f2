import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildListeningApp } from '../helpers/app.js';
import { setPlan } from '../helpers/factories.js';
import { endOfCallReport, postVapi } from '../helpers/vapi.js';
import { accessibilityProblems, browserMissing, launchChromium } from './browser.js';
import { signUp } from './flows.js';

const missing = browserMissing;
if (missing) console.warn(`[first-week e2e] skipped: ${missing}`);

const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
];

/**
 * A dentist's first week, at desktop and phone width: the wizard resumes after a reload with the
 * voice kept, an unreachable site is explained at the field, the sandbox's sample practice fills
 * the details, the last step ends in the dashboard; the calendar offers its event types; the
 * digest opens on a day with calls. No serious or critical axe finding on any page visited.
 */
describe.skipIf(!!missing)(`a first week in a real browser${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let browser: Browser;

  beforeAll(async () => {
    // No loopback allowance: the sample practice is read in-process, like in `npm start`.
    [t, browser] = await Promise.all([buildListeningApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const viewport of VIEWPORTS) {
    describe(`at ${viewport.width} px`, () => {
      let page: Page;
      let cookie: string;
      const problems: string[] = [];
      const axe = async (where: string) => problems.push(...(await accessibilityProblems(page, `${where} at ${viewport.width} px`)));
      const session = async () => (await t.app.inject({ url: '/api/auth/session', headers: { cookie } })).json().user as { organizationId: string };

      beforeAll(async () => {
        const context = await browser.newContext({ baseURL: t.baseUrl, viewport });
        page = await context.newPage();
        await signUp(page, { name: 'Elena Ruiz', business: 'Maple Dental', email: `elena-${viewport.width}-${Date.now()}@example.com` });
        cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      });
      afterAll(() => page?.context().close());

      it('onboarding: advice for an unreachable site, the sample practice read, a reload resumes with the voice kept, the last step ends in the dashboard', async () => {
        await page.getByLabel('Website address').fill('no-such-practice.invalid');
        await page.getByRole('button', { name: 'Read my website' }).click();
        const advice = 'We could not find a website at no-such-practice.invalid. Check the spelling of the address, or skip this step and fill in your details by hand.';
        await page.locator('.field-error', { hasText: advice }).waitFor();
        // Said at the field (read with it by screen readers), not as a code.
        expect(await page.getByLabel('Website address').getAttribute('aria-describedby')).toContain(await page.locator('.field-error').getAttribute('id'));
        expect(await page.getByText('dns-failed').count()).toBe(0);
        await axe('website step with an error');

        await page.getByRole('button', { name: 'Try it with our sample practice' }).click();
        await page.getByRole('heading', { name: 'Check your business details' }).waitFor();
        const expectDetails = async () => {
          expect(await page.getByLabel('Business name').inputValue()).toBe('Maple Street Dental');
          expect(await page.getByLabel('Address').inputValue()).toBe('214 Maple Street, Suite 3, Springfield, IL 62704');
          expect(await page.getByLabel('Business phone').inputValue()).toBe('+12175550148');
          expect(await page.getByLabel('Monday opens').inputValue()).toBe('08:00');
          expect(await page.getByLabel('Friday closes').inputValue()).toBe('14:00');
          expect(await page.getByLabel('Saturday opens').inputValue()).toBe('09:00');
        };
        await expectDetails();
        await page.getByText('We read 5 pages of your website and found your opening hours.').waitFor();
        await axe('details step');
        // A reload here comes back to the details, as read.
        await page.reload();
        await page.getByRole('heading', { name: 'Check your business details' }).waitFor();
        await expectDetails();

        await page.getByRole('button', { name: 'Looks good, next' }).click();
        await page.getByRole('heading', { name: 'Pick a voice' }).waitFor();
        await page.getByRole('radio', { name: /Rachel/ }).check();
        await page.getByRole('button', { name: 'Continue with Rachel' }).click();
        await page.getByRole('heading', { name: 'Ready to go live' }).waitFor();

        // Mid-wizard reload: the last step again, with the voice.
        await page.reload();
        await page.getByRole('heading', { name: 'Ready to go live' }).waitFor();
        expect(await page.locator('.summary dd').nth(1).innerText()).toBe('Rachel');
        expect(await page.locator('[aria-current="step"]').innerText()).toContain('Go live');
        expect(await page.getByRole('link', { name: /Skip for now/ }).count()).toBe(0);
        await axe('go-live step');
        await page.getByRole('button', { name: '← Back' }).click();
        expect(await page.getByRole('radio', { name: /Rachel/ }).isChecked()).toBe(true);
        await page.getByRole('button', { name: 'Continue with Rachel' }).click();

        await page.getByRole('button', { name: 'Create my receptionist' }).click();
        await page.getByRole('heading', { name: 'Your receptionist is ready' }).waitFor({ timeout: 20_000 });
        expect(await page.getByText('Callers reach Rachel at').count()).toBe(1);
        expect(await page.getByRole('link', { name: /Skip for now/ }).count()).toBe(0);
        await axe('onboarding done');
        await page.getByRole('link', { name: 'Go to your dashboard' }).click();
        await page.waitForURL('**/dashboard');
        // The assistant learned the sample site's services and prices.
        expect(JSON.stringify((await t.app.inject({ url: '/api/kb', headers: { cookie } })).json())).toContain('Teeth whitening (in office)');
        expect((await t.app.inject({ url: '/api/onboarding', headers: { cookie } })).json().completed).toBe(true);
      }, 90_000);

      it('calendar: a true subtitle, event types picked from Cal.com, no stale test result after connecting', async () => {
        await setPlan(t.app, (await session()).organizationId, 'PRO');
        await page.goto('/dashboard/calendar');
        await page.getByText('Once connected, your assistant checks free times and books appointments while it talks.').waitFor();
        await page.getByRole('button', { name: 'Run test' }).click();
        await page.getByText('No calendar is connected').waitFor();

        await page.getByLabel('Cal.com API key').fill('cal_invalid');
        await page.getByRole('button', { name: 'Find my event types' }).click();
        await page.locator('.field-error', { hasText: 'Cal.com did not accept this API key.' }).waitFor();
        await axe('calendar with a refused key');

        await page.getByLabel('Cal.com API key').fill('cal_test_maple_dental');
        await page.getByRole('button', { name: 'Find my event types' }).click();
        const picker = page.getByLabel('Appointment callers book');
        await picker.waitFor();
        expect(await picker.locator('option').allInnerTexts()).toEqual(['30 Minute Meeting (30 min)', '60 Minute Consultation (60 min)']);
        await picker.selectOption({ label: '60 Minute Consultation (60 min)' });
        await axe('calendar picker');
        await page.getByRole('button', { name: 'Connect' }).click();
        await page.getByRole('button', { name: 'Disconnect' }).waitFor();
        expect(await page.locator('#connection .badge').innerText()).toBe('Connected');
        expect(await page.getByText('No calendar is connected').count()).toBe(0);
        expect(await page.getByText('Your assistant checks free times and books appointments while it talks.').count()).toBe(1);
        expect((await t.app.inject({ url: '/api/calendar/status', headers: { cookie } })).json().config).toEqual({ eventTypeId: 1002 });
        await page.getByRole('button', { name: 'Run test' }).click();
        await page.getByText('Everything works: callers can book.').waitFor();
        await axe('calendar connected');
      }, 60_000);

      it('digest: opens on the latest day that has calls, not on a quiet yesterday', async () => {
        const [{ vapiAssistantId }] = (await t.app.inject({ url: '/api/assistants', headers: { cookie } })).json().assistants;
        // One call four days ago, nothing since; its day is read on the business clock.
        const startedAt = new Date(Date.now() - 4 * 86_400_000);
        expect((await postVapi(t.app, endOfCallReport({ assistantId: vapiAssistantId, startedAt, seconds: 95, customer: '+12175550111' }))).statusCode).toBe(200);
        const { timezone } = (await t.app.inject({ url: '/api/business-hours', headers: { cookie } })).json();
        const day = new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(startedAt);

        await page.goto('/dashboard/digest');
        await page.locator('.digest-calls li').first().waitFor();
        expect(await page.getByLabel('Day').inputValue()).toBe(day);
        expect(await page.locator('#calls .digest-calls li').count()).toBe(1);
        expect(await page.getByText('No calls this day.').count()).toBe(0);
        await axe('digest');
      }, 30_000);

      it('has no serious or critical accessibility finding on the pages above', () => {
        expect(problems).toEqual([]);
      });
    });
  }
});
