import type { FastifyPluginAsync } from 'fastify';
import { SafeFetchError, type SafeFetchResult } from '../../lib/safe-fetch.js';
import { SAMPLE_SITE_PAGES } from './pages.js';

/** Where the sample practice's website lives on our own origin (sandbox mode only). */
export const SAMPLE_SITE_PATH = '/sandbox/sample-site/';

/** The sample site's address as the owner sees it (APP_URL). */
export const sampleSiteUrl = (appUrl: string) => new URL(SAMPLE_SITE_PATH, appUrl).href;

/**
 * The website reader's shortcut for the sample site, so it can be tried offline without
 * letting the SSRF guard reach our own address: a URL on one of our `origins` under
 * SAMPLE_SITE_PATH is answered from the constant pages above, in-process, with no connection
 * made at all. Any other URL (another path on our origin included) is not ours to answer:
 * undefined, and it goes through the guarded fetch as before.
 */
export function readSampleSite(raw: string, origins: readonly string[]): SafeFetchResult | undefined {
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  if (!origins.includes(url.origin) || !url.pathname.startsWith(SAMPLE_SITE_PATH)) return undefined;
  const html = SAMPLE_SITE_PAGES.get(url.pathname.slice(SAMPLE_SITE_PATH.length).replace(/\/$/, ''));
  if (html === undefined) throw new SafeFetchError('http-error', `${url.href} answered HTTP 404`, 404);
  url.search = '';
  url.hash = '';
  return { finalUrl: url.href, html, status: 200 };
}

/** Serves the sample site to browsers at /sandbox/sample-site/ (mounted only when SANDBOX=1). */
const sampleSiteRoutes: FastifyPluginAsync = async (app) => {
  app.get(`${SAMPLE_SITE_PATH}*`, { schema: { hide: true } }, async (request, reply) => {
    const page = (request.params as { '*': string })['*'].replace(/\/$/, '');
    const html = SAMPLE_SITE_PAGES.get(page);
    if (html === undefined) return reply.status(404).send({ error: 'Page not found', code: 'NOT_FOUND' });
    return reply.type('text/html; charset=utf-8').send(html);
  });
  // Without the trailing slash the page's relative links would resolve one level up.
  app.get(SAMPLE_SITE_PATH.slice(0, -1), { schema: { hide: true } }, (_request, reply) => reply.redirect(SAMPLE_SITE_PATH, 301));
};

export default sampleSiteRoutes;
