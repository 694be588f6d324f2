import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { lastMailTo, login, sessionCookieFrom, signedInOwner, tokenFrom, uniqueEmail } from './helpers/factories.js';

let t: TestApp;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildTestApp({ env: { API_KEY_RATE_LIMIT_PER_MIN: '20' } });
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const as = (cookie: string) => ({ cookie });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function createKey(owner: Owner, label = 'Zapier') {
  const res = await app.inject({ method: 'POST', url: '/api/api-keys', headers: as(owner.cookie), payload: { label } });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; key: string; prefix: string };
}

describe('API keys', () => {
  it('are shown once, listed by prefix, and read the organization like a session', async () => {
    const owner = await signedInOwner(app);
    const created = await createKey(owner);
    expect(created.key).toMatch(/^evk_[0-9A-Za-z]{43}$/);
    const list = (await app.inject({ url: '/api/api-keys', headers: as(owner.cookie) })).json();
    expect(list.keys).toEqual([expect.objectContaining({ id: created.id, prefix: created.key.slice(0, 12), label: 'Zapier' })]);
    expect(JSON.stringify(list)).not.toContain(created.key);

    const usage = await app.inject({ url: '/api/usage', headers: bearer(created.key) });
    expect(usage.statusCode).toBe(200);
    expect(usage.json().plan).toBe('FREE');
    const calls = await app.inject({ url: '/api/calls', headers: bearer(created.key) });
    expect(calls.json()).toEqual({ calls: [], nextCursor: null });
  });

  it('stop working the moment they are revoked, and never see another organization', async () => {
    const owner = await signedInOwner(app);
    const other = await signedInOwner(app);
    const { id, key } = await createKey(owner);
    const foreignKey = await createKey(other);
    expect((await app.inject({ method: 'DELETE', url: `/api/api-keys/${foreignKey.id}`, headers: as(owner.cookie) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/api/api-keys/${id}`, headers: as(owner.cookie) })).json()).toEqual({ revoked: true });
    const refused = await app.inject({ url: '/api/usage', headers: bearer(key) });
    expect(refused.statusCode).toBe(401);
    expect((await app.inject({ url: '/api/usage', headers: bearer(foreignKey.key) })).statusCode).toBe(200);
  });

  it('cannot mint keys, manage members or change passwords', async () => {
    const owner = await signedInOwner(app);
    const { key } = await createKey(owner);
    const mint = await app.inject({ method: 'POST', url: '/api/api-keys', headers: bearer(key), payload: { label: 'x' } });
    expect(mint.statusCode).toBe(403);
    expect(mint.json().error).toBe('Sign in from the dashboard to do this; API keys cannot');
    expect((await app.inject({ method: 'POST', url: '/api/members/invite', headers: bearer(key), payload: { email: uniqueEmail() } })).statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'PUT', url: '/api/auth/password', headers: bearer(key), payload: { newPassword: 'whatever12', forced: true } })).statusCode,
    ).toBe(403);
  });

  it('are rate limited per key', async () => {
    const owner = await signedInOwner(app);
    const { key } = await createKey(owner);
    const codes = [];
    for (let i = 0; i < 21; i++) codes.push((await app.inject({ url: '/api/calls', headers: bearer(key) })).statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(20);
    expect(codes.at(-1)).toBe(429);
  });

  it('refuses unknown keys and expiry in the past', async () => {
    const owner = await signedInOwner(app);
    expect((await app.inject({ url: '/api/usage', headers: bearer('evk_nope') })).statusCode).toBe(401);
    const past = await app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: as(owner.cookie),
      payload: { label: 'old', expiresAt: '2000-01-01T00:00:00Z' },
    });
    expect(past.statusCode).toBe(400);
    const soon = await app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: as(owner.cookie),
      payload: { label: 'soon', expiresAt: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect((await app.inject({ url: '/api/usage', headers: bearer(soon.json().key) })).statusCode).toBe(200);
    t.clock.advance(2 * 3600_000);
    expect((await app.inject({ url: '/api/usage', headers: bearer(soon.json().key) })).statusCode).toBe(401);
  });
});

describe('members', () => {
  async function invite(owner: Owner, role = 'member') {
    const email = uniqueEmail('invitee');
    const res = await app.inject({ method: 'POST', url: '/api/members/invite', headers: as(owner.cookie), payload: { email, role } });
    expect(res.statusCode).toBe(201);
    const token = decodeURIComponent(tokenFrom((await lastMailTo(app, email))!.text)!);
    return { email, token };
  }

  it('invites by email, accepts once, and the member joins the organization', async () => {
    const owner = await signedInOwner(app);
    const { email, token } = await invite(owner);
    const accept = (payload: object) => app.inject({ method: 'POST', url: '/api/members/accept', payload });
    const joined = await accept({ token, name: 'Mia', password: 'member-pass-1' });
    expect(joined.statusCode).toBe(201);
    expect(joined.json().organizationId).toBe(owner.organizationId);
    const cookie = sessionCookieFrom(joined)!;
    expect((await app.inject({ url: '/api/auth/session', headers: as(cookie) })).json().user).toMatchObject({ email, role: 'member' });
    expect((await accept({ token, name: 'Mia', password: 'member-pass-1' })).statusCode).toBe(400);
    const members = (await app.inject({ url: '/api/members', headers: as(owner.cookie) })).json().members;
    expect(members.map((m: { email: string }) => m.email)).toEqual([owner.email, email]);
  });

  it('keeps members out of management: invites, roles, API keys', async () => {
    const owner = await signedInOwner(app);
    const { email, token } = await invite(owner);
    await app.inject({ method: 'POST', url: '/api/members/accept', payload: { token, name: 'Max', password: 'member-pass-1' } });
    const member = await login(app, email, 'member-pass-1');
    const inviting = await app.inject({ method: 'POST', url: '/api/members/invite', headers: as(member), payload: { email: uniqueEmail() } });
    expect(inviting.statusCode).toBe(403);
    expect(inviting.json().error).toBe('Only an owner or admin can do this');
    const keys = await app.inject({ url: '/api/api-keys', headers: as(member) });
    expect(keys.statusCode).toBe(403);
    expect(keys.json().error).toBe('Only an owner can do this');
  });

  it('changes roles, keeps one owner, removes members and ends their sessions', async () => {
    const owner = await signedInOwner(app);
    const { email, token } = await invite(owner, 'admin');
    const joined = (await app.inject({ method: 'POST', url: '/api/members/accept', payload: { token, name: 'Ada', password: 'admin-pass-12' } })).json();
    const admin = await login(app, email, 'admin-pass-12');
    expect((await app.inject({ method: 'PATCH', url: `/api/members/${owner.userId}`, headers: as(admin), payload: { role: 'member' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'PATCH', url: `/api/members/${owner.userId}`, headers: as(owner.cookie), payload: { role: 'member' } })).statusCode).toBe(409);
    expect((await app.inject({ method: 'PATCH', url: `/api/members/${joined.userId}`, headers: as(owner.cookie), payload: { role: 'member' } })).json()).toEqual({
      id: joined.userId,
      role: 'member',
    });
    const stranger = await signedInOwner(app);
    expect((await app.inject({ method: 'DELETE', url: `/api/members/${joined.userId}`, headers: as(stranger.cookie) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/api/members/${joined.userId}`, headers: as(owner.cookie) })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/auth/session', headers: as(admin) })).json()).toEqual({});
  });

  it('withdraws a pending invitation so its link stops working', async () => {
    const owner = await signedInOwner(app);
    const { token } = await invite(owner);
    const pending = (await app.inject({ url: '/api/members', headers: as(owner.cookie) })).json().invites[0];
    const stranger = await signedInOwner(app);
    expect((await app.inject({ method: 'DELETE', url: `/api/members/invites/${pending.id}`, headers: as(stranger.cookie) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/api/members/invites/${pending.id}`, headers: as(owner.cookie) })).statusCode).toBe(200);
    const accept = await app.inject({ method: 'POST', url: '/api/members/accept', payload: { token, name: 'Late', password: 'late-pass-123' } });
    expect(accept.statusCode).toBe(400);
  });

  it('refuses inviting an email that already has an account', async () => {
    const owner = await signedInOwner(app);
    const res = await app.inject({ method: 'POST', url: '/api/members/invite', headers: as(owner.cookie), payload: { email: owner.email } });
    expect(res.statusCode).toBe(409);
  });
});
