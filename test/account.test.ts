import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { lastMailTo, login, signedInOwner, tokenFrom, uniqueEmail } from './helpers/factories.js';
import { authTokens, mailOutbox, users } from '../src/db/schema/index.js';
import { sha256 } from '../src/lib/tokens.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const session = (cookie: string) => t.app.inject({ url: '/api/auth/session', headers: { cookie } }).then((r) => r.json());
const askEmail = (owner: Owner, email: string, currentPassword = owner.password) =>
  t.app.inject({ method: 'POST', url: '/api/account/email', headers: { cookie: owner.cookie }, payload: { email, currentPassword } });
/** The token in the confirmation mail sent to `to`. */
const mailedToken = async (to: string) => decodeURIComponent(tokenFrom((await lastMailTo(t.app, to))!.text)!);
const confirm = (token: string, accept?: string) =>
  t.app.inject({ url: `/api/account/email/confirm?token=${encodeURIComponent(token)}`, headers: accept ? { accept } : {} });

describe('PATCH /api/account', () => {
  it('changes the name (trimmed), which the session then shows', async () => {
    const owner = await signedInOwner(t.app);
    const res = await t.app.inject({ method: 'PATCH', url: '/api/account', headers: { cookie: owner.cookie }, payload: { name: '  Dr. Ana Ruiz ' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ name: 'Dr. Ana Ruiz', email: owner.email.toLowerCase() });
    expect((await session(owner.cookie)).user.name).toBe('Dr. Ana Ruiz');
  });

  it('refuses an empty or too long name with the field named, and no session', async () => {
    const owner = await signedInOwner(t.app);
    for (const name of ['   ', 'x'.repeat(101)]) {
      const res = await t.app.inject({ method: 'PATCH', url: '/api/account', headers: { cookie: owner.cookie }, payload: { name } });
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json().details)).toContain('name');
    }
    expect((await t.app.inject({ method: 'PATCH', url: '/api/account', payload: { name: 'Someone' } })).statusCode).toBe(401);
  });

  it('refuses an organization API key: it is no one in particular', async () => {
    const owner = await signedInOwner(t.app);
    const created = await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: { cookie: owner.cookie }, payload: { label: 'Script' } });
    const res = await t.app.inject({ method: 'PATCH', url: '/api/account', headers: { authorization: `Bearer ${created.json().key}` }, payload: { name: 'Robot' } });
    expect(res.statusCode).toBe(403);
    expect((await session(owner.cookie)).user.name).not.toBe('Robot');
  });
});

describe('email change', () => {
  it('mails a link to the new address, changes the email only when it is opened, and tells the old address', async () => {
    const owner = await signedInOwner(t.app);
    const oldEmail = owner.email.toLowerCase();
    const newEmail = uniqueEmail('moved');
    const ask = await askEmail(owner, newEmail.toUpperCase());
    expect(ask.statusCode, ask.body).toBe(202);
    expect(ask.json().pendingEmail).toBe(newEmail);

    // Nothing changed yet, and the token is kept only as its hash.
    expect((await session(owner.cookie)).user.email).toBe(oldEmail);
    const token = await mailedToken(newEmail);
    const [row] = await t.database.db.select().from(authTokens).where(eq(authTokens.tokenHash, sha256(token)));
    expect(row).toMatchObject({ kind: 'email_change', email: newEmail, userId: owner.userId, usedAt: null });
    expect(JSON.stringify(row)).not.toContain(token);

    const ok = await confirm(token);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ email: newEmail });
    expect((await session(owner.cookie)).user.email).toBe(newEmail);
    expect((await lastMailTo(t.app, oldEmail))!.text).toContain(`is now ${newEmail}`);
    await expect(login(t.app, newEmail, owner.password)).resolves.toBeDefined();
  });

  it('refuses the same link a second time', async () => {
    const owner = await signedInOwner(t.app);
    const newEmail = uniqueEmail('twice');
    await askEmail(owner, newEmail);
    const token = await mailedToken(newEmail);
    expect((await confirm(token)).statusCode).toBe(200);
    const again = await confirm(token);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual({ error: 'This link is invalid, already used or expired', code: 'INVALID_TOKEN' });
  });

  it('refuses a link after 24 hours, and a browser lands on the Account page told so', async () => {
    const owner = await signedInOwner(t.app);
    const newEmail = uniqueEmail('late');
    await askEmail(owner, newEmail);
    const token = await mailedToken(newEmail);
    t.clock.advance(24 * 60 * 60_000 + 60_000);
    const api = await confirm(token);
    expect(api.statusCode).toBe(400);
    expect(api.json().code).toBe('INVALID_TOKEN');
    const browser = await confirm(token, 'text/html');
    expect(browser.statusCode).toBe(302);
    expect(browser.headers.location).toBe('/dashboard/account?email=link-expired');
    expect((await session(owner.cookie)).user.email).toBe(owner.email.toLowerCase());
  });

  it('sends a browser back to the Account page once confirmed', async () => {
    const owner = await signedInOwner(t.app);
    const newEmail = uniqueEmail('browser');
    await askEmail(owner, newEmail);
    const res = await confirm(await mailedToken(newEmail), 'text/html,application/xhtml+xml');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/dashboard/account?email=confirmed');
  });

  it('refuses an address another account uses with a clear 409, at the request and at the confirmation', async () => {
    const owner = await signedInOwner(t.app);
    const other = await signedInOwner(t.app);
    const taken = await askEmail(owner, other.email);
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toEqual({ error: 'An account with this email already exists', code: 'CONFLICT' });

    // Free when asked, taken (here by a sign-up) before the link is opened.
    const contested = uniqueEmail('contested');
    expect((await askEmail(owner, contested)).statusCode).toBe(202);
    const token = await mailedToken(contested);
    await signedInOwner(t.app, { email: contested });
    const late = await confirm(token);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('CONFLICT');
    const [me] = await t.database.db.select().from(users).where(eq(users.id, owner.userId));
    expect(me!.email).toBe(owner.email.toLowerCase());
  });

  it('confirms a link opened 10 times at once once, and of two accounts racing to one address exactly one gets it', async () => {
    const owner = await signedInOwner(t.app);
    const newEmail = uniqueEmail('burst');
    await askEmail(owner, newEmail);
    const token = await mailedToken(newEmail);
    const burst = await Promise.all(Array.from({ length: 10 }, () => confirm(token)));
    expect(burst.map((r) => r.statusCode).sort()).toEqual([200, ...Array(9).fill(400)]);
    const told = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.to, owner.email.toLowerCase()));
    expect(told.filter((m) => m.text.includes(`is now ${newEmail}`))).toHaveLength(1);

    const [first, second] = [await signedInOwner(t.app), await signedInOwner(t.app)];
    const contested = uniqueEmail('race');
    await askEmail(first, contested);
    const firstToken = await mailedToken(contested);
    await askEmail(second, contested);
    const secondToken = await mailedToken(contested);
    const both = await Promise.all([confirm(firstToken), confirm(secondToken)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const holders = await t.database.db.select().from(users).where(eq(users.email, contested));
    expect(holders).toHaveLength(1);
  });

  it('needs the current password, a valid new address that differs, and a session', async () => {
    const owner = await signedInOwner(t.app);
    const wrong = await askEmail(owner, uniqueEmail('x'), 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toBe('Current password is incorrect');
    const invalid = await askEmail(owner, 'not-an-email');
    expect(invalid.statusCode).toBe(400);
    expect(JSON.stringify(invalid.json().details)).toContain('Enter a valid email address');
    const same = await askEmail(owner, owner.email.toUpperCase());
    expect(same.statusCode).toBe(400);
    expect(same.json().error).toBe('This is already your email address');
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/account/email', payload: { email: uniqueEmail(), currentPassword: 'x' } });
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses a token of another kind and a malformed token', async () => {
    const owner = await signedInOwner(t.app);
    await t.app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email: owner.email } });
    const resetToken = await mailedToken(owner.email.toLowerCase());
    expect((await confirm(resetToken)).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/account/email/confirm?token=short' })).statusCode).toBe(400);
  });
});

describe('rate limits', () => {
  it('limits email-change requests and confirmations per minute like the other auth routes', async () => {
    const limited = await buildTestApp({ env: { AUTH_RATE_LIMIT_PER_MIN: '2' }, database: t.database });
    try {
      const owner = await signedInOwner(limited.app);
      const ask = () =>
        limited.app.inject({ method: 'POST', url: '/api/account/email', headers: { cookie: owner.cookie }, payload: { email: uniqueEmail(), currentPassword: 'wrong-password' } });
      expect((await ask()).statusCode).toBe(401);
      expect((await ask()).statusCode).toBe(401);
      expect((await ask()).statusCode).toBe(429);
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await limited.app.inject({ url: `/api/account/email/confirm?token=${'a'.repeat(43)}` })).statusCode);
      expect(codes).toEqual([400, 400, 429]);
    } finally {
      await limited.close();
    }
  });
});
