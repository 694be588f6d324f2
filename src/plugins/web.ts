import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { PROJECT_ROOT } from '../lib/project-root.js';
import { faviconIco } from './favicon.js';

/** The dashboard's build (Vite), served by the tests' app and the built server alike. */
export const WEB_ROOT = `${PROJECT_ROOT}/dist/web/`;

/** Paths the dashboard's router owns: each answers index.html and the SPA takes over. */
export const SPA_PATHS = [
  '/',
  '/login',
  '/register',
  '/onboarding',
  '/reset-password',
  '/forgot-password',
  '/magic-link',
  '/invite',
  '/dashboard',
  '/dashboard/*',
];

/** The build's files under root, as URL paths, without the precompressed copies sendFile picks itself. */
const builtFiles = (root: string) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !/\.(br|gz)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));

/** Vite puts content-hashed files under assets/: they never change, so cache them for good. */
function cacheHeaders(reply: FastifyReply, filePath: string) {
  const hashed = filePath.includes('/assets/');
  reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** The dashboard reads this tag to draw its sandbox banner in the first paint (web/src/hooks.ts). */
export const SANDBOX_META = '<meta name="ev-sandbox" content="1" />';

/**
 * Serves the built dashboard (dist/web) and its client-side routes. Without a build
 * (tests that do not run `npm run build`) it registers nothing, so the API still works.
 * In sandbox mode the page carries SANDBOX_META: the banner then takes its place before the
 * first paint instead of pushing the page down when /api/sandbox answers.
 */
export default async function webPlugin(app: FastifyInstance, opts: { root?: string; sandbox?: boolean } = {}) {
  const root = opts.root ?? WEB_ROOT;
  // Asked for by browsers and crawlers whatever the page links; answered with or without a build.
  const favicon = faviconIco();
  app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('image/x-icon').send(favicon),
  );
  if (!existsSync(`${root}/index.html`)) {
    app.log.info({ root }, 'dashboard not built: run `npm run build` to serve it');
    return;
  }
  // preCompressed: the build writes .br/.gz beside each text file (web/vite.config.ts).
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true, setHeaders: cacheHeaders });
  // One route per built file, not a wildcard, so unknown paths keep the API's JSON 404. Listed
  // here, at once: @fastify/static's own listing (wildcard: false) walks the directory with an
  // asynchronous glob that start-up waits on, and routes the .br/.gz copies too.
  for (const file of builtFiles(root)) app.get(`/${file}`, { schema: { hide: true } }, (_request, reply) => reply.sendFile(file));
  const sandboxPage = opts.sandbox ? readFileSync(`${root}/index.html`, 'utf8').replace('<head>', `<head>\n    ${SANDBOX_META}`) : undefined;
  for (const url of SPA_PATHS) {
    app.get(url, { schema: { hide: true } }, (_request, reply) =>
      sandboxPage ? reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(sandboxPage) : reply.sendFile('index.html'),
    );
  }
}
