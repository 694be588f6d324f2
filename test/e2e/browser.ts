import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import axe from 'axe-core';
import { WEB_ROOT } from '../../src/plugins/web.js';

export const CHROMIUM = '/usr/bin/chromium';

/** The browser comes from Debian: without it, why the browser tests skip. */
export const chromiumMissing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing: apt-get install chromium`;

/** The dashboard's tests also need its build (`npm run build`). */
export const browserMissing = existsSync(`${WEB_ROOT}/index.html`) ? chromiumMissing : 'dist/web is missing: run `npm run build` first';

/** Debian's Chromium, headless, with nothing reaching out to the network on its own. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A browser context at `viewport`, signed in with a session cookie ("name=value") the test's app issued. */
export async function signedInContext(browser: Browser, baseUrl: string, cookie: string, viewport: { width: number; height: number }): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport });
  const at = cookie.indexOf('=');
  await context.addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: baseUrl }]);
  return context;
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa'];

/** axe's serious and critical WCAG 2.1 AA findings on the page as it is now, one line per element. */
export async function accessibilityProblems(page: Page, where: string) {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async (tags) => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, AXE_TAGS);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.targets.map((target) => `${where}: ${v.id} (${v.impact}, ${v.help}) at ${target}`));
}
