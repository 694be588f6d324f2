import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { Redis } from 'ioredis';
import { signedInOwner, uniqueEmail } from './helpers/factories.js';

const redisUrl = process.env.TEST_REDIS_URL;

/** Two app instances on one Redis share one limit, as two nodes behind a balancer must. */
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  if (!redisUrl) return;
  a = await buildTestApp({ env: { AUTH_RATE_LIMIT_PER_MIN: '4', REDIS_URL: redisUrl } });
  b = await buildTestApp({ env: { AUTH_RATE_LIMIT_PER_MIN: '4', REDIS_URL: redisUrl }, database: a.database });
});
afterAll(async () => {
  await b?.app.close();
  await a?.close();
});

it.skipIf(!redisUrl)('shares the auth rate limit across instances through Redis', async () => {
  const ip = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.7`;
  const codes = [];
  for (const t of [a, b, a, b, a]) {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email: uniqueEmail() }, remoteAddress: ip });
    codes.push(res.statusCode);
  }
  expect(codes).toEqual([200, 200, 200, 200, 429]);
});

it.skipIf(!redisUrl)('names an API key’s bucket by its prefix: the whole key is never written to Redis', async () => {
  const owner = await signedInOwner(a.app);
  const created = await a.app.inject({ method: 'POST', url: '/api/api-keys', headers: { cookie: owner.cookie }, payload: { label: 'Zapier' } });
  const { key } = created.json() as { key: string };
  const res = await b.app.inject({ url: '/api/usage', headers: { authorization: `Bearer ${key}` } });
  expect(res.statusCode).toBe(200);

  const redis = new Redis(redisUrl!);
  try {
    const names = await redis.keys('ev-rl:*apikey:*');
    expect(names.filter((n) => n.endsWith(`apikey:${key.slice(0, 16)}`))).toHaveLength(1);
    expect(names.filter((n) => n.includes(key))).toEqual([]);
  } finally {
    await redis.quit();
  }
});
