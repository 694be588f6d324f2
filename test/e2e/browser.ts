import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
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
