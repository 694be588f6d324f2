/**
 * The server's bundle compiles find-my-way's static-node matchers on first use
 * (scripts/lazy-router-prefixes.mjs). Here find-my-way is bundled with that plugin, as the
 * build does, and set beside the original: the same routes must find the same handlers and
 * params, and registering them must compile no matcher.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { lazyPrefixMatch, lazyRouterPrefixes } from '../scripts/lazy-router-prefixes.mjs';

type Router = {
  on(method: string, path: string, handler: () => void, store: string): void;
  find(method: string, path: string): { store: string; params: Record<string, string> } | null;
};
type RouterFactory = () => Router;

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'ev-router-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lazyFindMyWay(): Promise<RouterFactory> {
  const out = await esbuild.build({ entryPoints: [require.resolve('find-my-way')], bundle: true, platform: 'node', format: 'cjs', write: false, plugins: [lazyRouterPrefixes], logLevel: 'silent' });
  const file = join(dir, 'find-my-way.cjs');
  writeFileSync(file, out.outputFiles[0]!.text);
  return require(file) as RouterFactory;
}

// Shared prefixes (splits), params, a wildcard, prefixes under and over 16 chars.
const ROUTES = [
  '/', '/api/calls', '/api/calls/export', '/api/calls/:id', '/api/calls/:id/notes', '/api/call-events', '/api/callbacks',
  '/api/assistants', '/api/assistant-name', '/api/assistants/:id/prompt', '/api/analytics/summary', '/api/analytics/calls-by-day',
  '/api/webhooks/vapi', '/api/webhooks/twilio/status', '/api/webhooks/twilio/voice', '/api/webhooks/stripe',
  '/api/notifications/preferences', '/api/notifications', '/sandbox/twilio/2010-04-01/Accounts/:sid/Messages.json',
  '/sandbox/twilio/2010-04-01/Accounts/:sid/IncomingPhoneNumbers.json', '/dashboard', '/dashboard/*', '/assets/index-abc123.js',
];
const PATHS = [
  ...ROUTES.map((route) => route.replace(/:\w+/g, 'x1').replace('*', 'calls/9')),
  '/api/call', '/api/callsx', '/api/calls/', '/api/calls/export/', '/api/webhooks/twili', '/api/webhooks/twilio/statuses',
  '/sandbox/twilio/2010-04-01/Accounts/AC1/Messages.jsonx', '/api/assistant', '/api/analytics/summar', '/nope', '/dashboar',
];

function countingCompilations<T>(run: () => T): { result: T; matchers: number } {
  const RealFunction = globalThis.Function;
  let matchers = 0;
  globalThis.Function = new Proxy(RealFunction, {
    construct(target, args: string[]) {
      if (String(args.at(-1)).includes('path.charCodeAt(i + ')) matchers++;
      return Reflect.construct(target, args);
    },
  });
  try {
    return { result: run(), matchers };
  } finally {
    globalThis.Function = RealFunction;
  }
}

function routerWith(factory: RouterFactory) {
  const router = factory();
  for (const route of ROUTES) for (const method of ['GET', 'POST']) router.on(method, route, () => undefined, `${method} ${route}`);
  return router;
}

describe('find-my-way with matchers compiled on first use (the bundle)', () => {
  it('finds what the original finds, and compiles no matcher until a lookup needs it', async () => {
    const factory = await lazyFindMyWay();
    const original = countingCompilations(() => routerWith(require('find-my-way') as RouterFactory));
    const lazy = countingCompilations(() => routerWith(factory));
    expect(original.matchers).toBeGreaterThan(20);
    expect(lazy.matchers).toBe(0);

    const answer = (router: Router, method: string, path: string) => {
      const found = router.find(method, path);
      return found && { store: found.store, params: { ...found.params } };
    };
    const lookups = countingCompilations(() =>
      PATHS.flatMap((path) => ['GET', 'POST'].map((method) => [answer(original.result, method, path), answer(lazy.result, method, path)])),
    );
    for (const [expected, actual] of lookups.result) expect(actual).toEqual(expected);
    expect(lookups.result.filter(([expected]) => expected !== null).length).toBeGreaterThan(ROUTES.length);
    expect(lookups.matchers).toBeGreaterThan(0);
    expect(lookups.matchers).toBeLessThan(original.matchers);
  });

  it('stops the build when find-my-way no longer has the code it edits', () => {
    expect(() => lazyPrefixMatch('class Node {}')).toThrow(/find-my-way's lib\/node\.js changed/);
  });
});
