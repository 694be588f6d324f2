import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { lastMailTo, login, register, sessionCookieFrom, signedInOwner, tokenFrom, uniqueEmail } from './helpers/factories.js';
import { assistants, authTokens, organizations, users } from '../src/db/schema/index.js';
import { sha256 } from '../src/lib/tokens.js';
import { findSession, sessionRead } from '../src/modules/auth/sessions.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const session = (cookie?: string) =>
  t.app.inject({ method: 'GET', url: '/api/auth/session', headers: cookie ? { cookie } : {} }).then((r) => r.json());

describe('register', () => {
  it('creates the organization and its owner, hashes with argon2id at OWASP strength, and sends a welcome mail', async () => {
    const account = await register(t.app, { email: uniqueEmail('Jane').replace('jane', 'Jane') });
    const [user] = await t.database.db.select().from(users).where(eq(users.id, account.userId));
    expect(user!.organizationId).toBe(account.organizationId);
    expect(user!.role).toBe('owner');
    expect(user!.email).toBe(account.email.toLowerCase());
    const params = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(user!.passwordHash);
    expect(params).not.toBeNull();
    expect(Number(params![1])).toBeGreaterThanOrEqual(19456);
    expect(Number(params![2])).toBeGreaterThanOrEqual(2);
    expect(Number(params![3])).toBe(1);
    const [org] = await t.database.db.select().from(organizations).where(eq(organizations.id, account.organizationId));
    expect(org!.plan).toBe('FREE');
    expect((await lastMailTo(t.app, user!.email))?.subject).toBe('Welcome to Epoch Voice');
  });

  it('answers 409 for a taken email, whatever its case, and leaves no orphan organization', async () => {
    const account = await register(t.app);
    const count = async () => (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(organizations))[0]!.n;
    const before = await count();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { name: 'X', email: account.email.toUpperCase(), password: 'anotherpass1', organizationName: 'Other' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONFLICT' });
    expect(await count()).toBe(before);
  });

  it('refuses a password under 8 characters with a 400 naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { name: 'X', email: uniqueEmail(), password: 'short', organizationName: 'Org' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    expect(res.json().details).toEqual([{ field: 'body.password', message: 'Password must be at least 8 characters' }]);
  });
});

describe('NextAuth login surface', () => {
  it('refuses credentials without the CSRF token from /api/auth/csrf', async () => {
    const account = await register(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/callback/credentials',
      payload: { csrfToken: 'forged', email: account.email, password: account.password },
    });
    expect(res.statusCode).toBe(403);
    expect(sessionCookieFrom(res)).toBeUndefined();
  });

  it('logs in with a form body, sets an httpOnly SameSite=Lax cookie and a new token each time', async () => {
    const account = await register(t.app);
    const csrf = await t.app.inject({ method: 'GET', url: '/api/auth/csrf' });
    const c = csrf.cookies[0]!;
    const form = (extra = '') =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/callback/credentials',
        headers: { cookie: `${c.name}=${c.value}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `csrfToken=${csrf.json().csrfToken}&email=${encodeURIComponent(account.email)}&password=${account.password}${extra}`,
      });
    const redirect = await form('&callbackUrl=%2Fdashboard%2Fcalls');
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe('http://127.0.0.1:3000/dashboard/calls');
    const cookie = redirect.cookies.find((x) => x.name === 'next-auth.session-token')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();

    const second = await form('&json=true&callbackUrl=https%3A%2F%2Fevil.example%2F');
    expect(second.statusCode).toBe(200);
    expect(second.json().url).toBe('http://127.0.0.1:3000/dashboard'); // no open redirect
    expect(sessionCookieFrom(second)).not.toBe(`${cookie.name}=${cookie.value}`);

    const s = await session(`${cookie.name}=${cookie.value}`);
    expect(s.user).toMatchObject({ email: account.email, organizationId: account.organizationId, role: 'owner' });
    expect(new Date(s.expires).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  });

  it('sets a Secure cookie when APP_URL is https', async () => {
    const secure = await buildTestApp({ env: { APP_URL: 'https://voice.example.com' } });
    try {
      const account = await register(secure.app);
      const csrf = await secure.app.inject({ method: 'GET', url: '/api/auth/csrf' });
      const c = csrf.cookies[0]!;
      const res = await secure.app.inject({
        method: 'POST',
        url: '/api/auth/callback/credentials',
        headers: { cookie: `${c.name}=${c.value}` },
        payload: { csrfToken: csrf.json().csrfToken, email: account.email, password: account.password },
      });
      const cookie = res.cookies.find((x) => x.name === '__Secure-next-auth.session-token');
      expect(cookie?.secure).toBe(true);
    } finally {
      await secure.close();
    }
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const account = await register(t.app);
    const attempt = async (email: string) => {
      const csrf = await t.app.inject({ method: 'GET', url: '/api/auth/csrf' });
      const c = csrf.cookies[0]!;
      return t.app.inject({
        method: 'POST',
        url: '/api/auth/callback/credentials',
        headers: { cookie: `${c.name}=${c.value}` },
        payload: { csrfToken: csrf.json().csrfToken, email, password: 'wrong-password' },
      });
    };
    const wrong = await attempt(account.email);
    const unknown = await attempt(uniqueEmail());
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('slides the 30-day expiry while used, ends it after 30 idle days, and signs out', async () => {
    const { cookie } = await signedInOwner(t.app);
    t.clock.advance(20 * 86_400_000);
    const s = await session(cookie);
    expect(new Date(s.expires).getTime()).toBeGreaterThan(t.clock.now().getTime() + 29 * 86_400_000);
    t.clock.advance(29 * 86_400_000);
    expect((await session(cookie)).user).toBeDefined();
    t.clock.advance(31 * 86_400_000);
    expect(await session(cookie)).toEqual({});

    const fresh = await signedInOwner(t.app);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/signout', headers: { cookie: fresh.cookie } });
    expect(out.statusCode).toBe(200);
    // The browser is told to drop the cookie, with the attributes it was set with.
    const cleared = out.cookies.find((c) => c.name === 'next-auth.session-token');
    expect(cleared).toMatchObject({ value: '', maxAge: 0, path: '/', httpOnly: true, sameSite: 'Lax' });
    expect(cleared?.expires?.getTime()).toBe(0);
    expect(await session(fresh.cookie)).toEqual({});
  });
});

describe('the session read', () => {
  // findSession maps the read's row by position; Drizzle's own mapping of the same select is the reference.
  it.each([
    ['without an assistant', null],
    ['with an active assistant', 'Aria'],
  ])('gives the caller every selected column, %s', async (_, voiceName) => {
    const { cookie, organizationId } = await signedInOwner(t.app);
    if (voiceName) await t.database.db.insert(assistants).values({ organizationId, vapiAssistantId: `va-${organizationId}`, name: 'Reception', voiceName });
    const token = cookie.split('=')[1]!;
    const [row] = await sessionRead(t.database.db).execute({ tokenHash: sha256(token) });
    const { assistantId, assistantName, assistantVoiceName, ...caller } = row!;
    expect(await findSession(t.app.ctx, token)).toEqual({
      ...caller,
      via: 'session',
      activeAssistant: assistantId === null ? null : { id: assistantId, name: assistantName, voiceName: assistantVoiceName },
    });
  });
});

describe('forgot and reset password', () => {
  it('answers the same for unknown and known emails, and only mails the known one', async () => {
    const account = await register(t.app);
    const ask = (email: string) => t.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email } });
    const stranger = uniqueEmail();
    const [a, b] = [await ask(account.email), await ask(stranger)];
    expect(a.statusCode).toBe(200);
    expect(a.json()).toEqual(b.json());
    expect(a.json().message).toBe('If an account with that email exists, a reset link has been sent.');
    expect(await lastMailTo(t.app, stranger)).toBeUndefined();
    expect((await lastMailTo(t.app, account.email))?.subject).toMatch(/Reset/);
  });

  it('resets once with a 256-bit token stored only as a hash, and ends every session', async () => {
    const account = await signedInOwner(t.app);
    await t.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email: account.email } });
    const token = decodeURIComponent(tokenFrom((await lastMailTo(t.app, account.email))!.text)!);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const stored = await t.database.db.select().from(authTokens).where(eq(authTokens.userId, account.userId));
    expect(stored.map((r) => r.tokenHash)).toContain(sha256(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const reset = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token, password } });
    const ok = await reset('brand-new-pass');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().message).toBe('Password has been reset successfully.');
    expect(await session(account.cookie)).toEqual({});
    await expect(login(t.app, account.email, 'brand-new-pass')).resolves.toBeDefined();

    const reuse = await reset('another-pass-1');
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().code).toBe('INVALID_TOKEN');
  });

  it('refuses a reset token after one hour', async () => {
    const account = await register(t.app);
    await t.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email: account.email } });
    const token = decodeURIComponent(tokenFrom((await lastMailTo(t.app, account.email))!.text)!);
    t.clock.advance(61 * 60_000);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token, password: 'newpassword1' } });
    expect(res.statusCode).toBe(400);
  });
});

describe('change password', () => {
  it('needs the current password and ends the other sessions, keeping this one', async () => {
    const account = await signedInOwner(t.app);
    const other = await login(t.app, account.email, account.password);
    const change = (body: object) =>
      t.app.inject({ method: 'PUT', url: '/api/auth/password', headers: { cookie: account.cookie }, payload: body });
    expect((await change({ currentPassword: 'not-it-at-all', newPassword: 'changed-pass-1' })).statusCode).toBe(401);
    const ok = await change({ currentPassword: account.password, newPassword: 'changed-pass-1' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ success: true });
    expect((await session(account.cookie)).user).toBeDefined();
    expect(await session(other)).toEqual({});
  });

  it('accepts forced=true only for a user an admin marked must-change', async () => {
    const account = await signedInOwner(t.app);
    const forced = () =>
      t.app.inject({
        method: 'PUT',
        url: '/api/auth/password',
        headers: { cookie: account.cookie },
        payload: { newPassword: 'forced-new-pass', forced: true },
      });
    expect((await forced()).statusCode).toBe(403);
    const mark = await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${account.userId}/require-password-change`,
      headers: { 'x-admin-key': 'test-admin-key' },
    });
    expect(mark.statusCode).toBe(200);
    expect((await session(account.cookie)).user.mustChangePassword).toBe(true);
    expect((await forced()).statusCode).toBe(200);
    expect((await session(account.cookie)).user.mustChangePassword).toBe(false);
    expect((await forced()).statusCode).toBe(403);
  });

  it('answers 401 without a session', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/api/auth/password', payload: { currentPassword: 'x', newPassword: 'whatever12' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'Sign in to continue', code: 'UNAUTHORIZED' });
  });
});

describe('magic link', () => {
  it('signs in once with the mailed link and redirects to the dashboard', async () => {
    const account = await register(t.app);
    const ask = await t.app.inject({ method: 'POST', url: '/api/auth/magic-link', payload: { email: account.email } });
    expect(ask.statusCode).toBe(200);
    const mail = await lastMailTo(t.app, account.email);
    const token = tokenFrom(mail!.text)!;
    const res = await t.app.inject({ method: 'GET', url: `/api/auth/magic-link?token=${token}` });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/dashboard');
    expect((await session(sessionCookieFrom(res))).user.email).toBe(account.email);
    const again = await t.app.inject({ method: 'GET', url: `/api/auth/magic-link?token=${token}` });
    expect(again.statusCode).toBe(400);
  });

  it('expires after 10 minutes', async () => {
    const account = await register(t.app);
    await t.app.inject({ method: 'POST', url: '/api/auth/magic-link', payload: { email: account.email } });
    const token = tokenFrom((await lastMailTo(t.app, account.email))!.text)!;
    t.clock.advance(11 * 60_000);
    const res = await t.app.inject({ method: 'GET', url: `/api/auth/magic-link?token=${token}`, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/login?error=link-expired');
    expect(sessionCookieFrom(res)).toBeUndefined();
  });
});
