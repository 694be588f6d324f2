import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { uniqueEmail } from './helpers/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ env: { AUTH_RATE_LIMIT_PER_MIN: '3' } });
});
afterAll(() => t.close());

const forgot = (email: string, ip: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email }, remoteAddress: ip });

it('limits forgot-password per IP with 429 and Retry-After', async () => {
  const codes = [];
  for (let i = 0; i < 4; i++) codes.push((await forgot(uniqueEmail(), '10.0.0.1')).statusCode);
  expect(codes).toEqual([200, 200, 200, 429]);
  const blocked = await forgot(uniqueEmail(), '10.0.0.1');
  expect(blocked.json().code).toBe('RATE_LIMITED');
  expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  expect((await forgot(uniqueEmail(), '10.0.0.2')).statusCode).toBe(200);
});

it('limits attempts on one email spread over many IPs', async () => {
  const email = uniqueEmail();
  const codes = [];
  for (let i = 0; i < 4; i++) codes.push((await forgot(email, `10.1.0.${i}`)).statusCode);
  expect(codes).toEqual([200, 200, 200, 429]);
});

it('limits login attempts on the credentials callback', async () => {
  const codes = [];
  for (let i = 0; i < 4; i++) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/callback/credentials',
      payload: { csrfToken: 'x', email: uniqueEmail(), password: 'whatever' },
      remoteAddress: '10.2.0.1',
    });
    codes.push(res.statusCode);
  }
  expect(codes).toEqual([403, 403, 403, 429]);
});
