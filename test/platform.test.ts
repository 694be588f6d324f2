import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { register } from './helpers/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('platform', () => {
  it('answers health, the OpenAPI 3.1 document and the docs page', async () => {
    expect((await t.app.inject('/api/health')).json()).toEqual({ status: 'ok' });
    const spec = (await t.app.inject('/api/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/auth/register', '/api/auth/password']));
    expect(spec.paths['/api/auth/register'].post.requestBody).toBeDefined();
    const docs = await t.app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers bad input with the uniform error body, never a 500', async () => {
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'BAD_REQUEST' });
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { 'content-type': 'application/xml' },
      payload: '<hello/>',
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const missing = await t.app.inject('/api/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'Route GET /api/nope not found', code: 'NOT_FOUND' });
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/auth/forgot-password',
      payload: { email: `${'a'.repeat(2 * 1024 * 1024)}@x.com` },
    });
    expect(huge.statusCode).toBe(413);
  });

  it('tags every response with a request id', async () => {
    const res = await t.app.inject({ url: '/api/health', headers: { 'x-request-id': 'trace-me' } });
    expect(res.headers['x-request-id']).toBe('trace-me');
  });
});

describe('admin', () => {
  const admin = (method: 'GET' | 'PATCH' | 'POST', url: string, payload?: object, key = 'test-admin-key') =>
    t.app.inject({ method, url, payload, headers: { 'x-admin-key': key } });

  it('refuses a missing or wrong key', async () => {
    expect((await t.app.inject('/api/admin/organizations')).statusCode).toBe(401);
    expect((await admin('GET', '/api/admin/organizations', undefined, 'nope')).statusCode).toBe(401);
  });

  it('lists, shows and changes organizations', async () => {
    const account = await register(t.app, { organizationName: 'Zebra Salon' });
    const list = await admin('GET', '/api/admin/organizations?search=zebra');
    expect(list.json().organizations.map((o: { id: string }) => o.id)).toEqual([account.organizationId]);
    expect(list.json().organizations[0]).toMatchObject({ plan: 'FREE', minutesLimit: 30, userCount: 1 });

    const patched = await admin('PATCH', `/api/admin/organizations/${account.organizationId}`, {
      plan: 'PRO',
      minutesLimit: 900,
      overageEnabled: true,
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().organization).toMatchObject({ plan: 'PRO', minutesLimit: 900, overageEnabled: true });
    expect(patched.json().organization.users[0]).not.toHaveProperty('passwordHash');

    const cleared = await admin('PATCH', `/api/admin/organizations/${account.organizationId}`, { minutesLimit: null });
    expect(cleared.json().organization.minutesLimit).toBe(500);
  });

  it('answers 404 for unknown ids and 400 for malformed ones or bad plans', async () => {
    expect((await admin('GET', '/api/admin/organizations/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await admin('GET', '/api/admin/organizations/not-a-uuid')).statusCode).toBe(400);
    const account = await register(t.app);
    expect((await admin('PATCH', `/api/admin/organizations/${account.organizationId}`, { plan: 'GOLD' })).statusCode).toBe(400);
    expect((await admin('PATCH', `/api/admin/organizations/${account.organizationId}`, {})).statusCode).toBe(400);
    expect((await admin('POST', '/api/admin/users/00000000-0000-4000-8000-000000000000/require-password-change')).statusCode).toBe(404);
  });
});
