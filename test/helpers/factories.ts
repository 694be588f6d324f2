import type { FastifyInstance } from 'fastify';
import type { AssistantSpec } from '../../src/providers/vapi/port.js';
import { randomBytes } from 'node:crypto';

export const uniqueEmail = (prefix = 'user') => `${prefix}-${randomBytes(5).toString('hex')}@example.com`;

export async function register(app: FastifyInstance, overrides: Partial<Record<'name' | 'email' | 'password' | 'organizationName', string>> = {}) {
  const body = {
    name: 'Jane Smith',
    email: uniqueEmail(),
    password: 'securepass123',
    organizationName: 'Acme Dental',
    ...overrides,
  };
  const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: body });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  return { ...body, ...(res.json() as { organizationId: string; userId: string }) };
}

/** Cookie header value for the session cookie a response set. */
export function sessionCookieFrom(res: { cookies: Array<{ name: string; value: string }> }) {
  const c = res.cookies.find((x) => x.name.endsWith('next-auth.session-token'));
  return c ? `${c.name}=${c.value}` : undefined;
}

/** The NextAuth flow: csrf, then credentials; returns the Cookie header for later requests. */
export async function login(app: FastifyInstance, email: string, password: string) {
  const csrf = await app.inject({ method: 'GET', url: '/api/auth/csrf' });
  const csrfCookie = csrf.cookies.find((c) => c.name.endsWith('next-auth.csrf-token'))!;
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/callback/credentials',
    headers: { cookie: `${csrfCookie.name}=${csrfCookie.value}` },
    payload: { csrfToken: csrf.json().csrfToken, email, password },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return sessionCookieFrom(res)!;
}

/** Invites someone into the owner's organization (role `member` unless given), who accepts and is signed in. */
export async function joinAsMember(app: FastifyInstance, owner: { cookie: string }, opts: { role?: string; name?: string } = {}) {
  const email = uniqueEmail('member');
  const name = opts.name ?? 'Mia';
  const invited = await app.inject({ method: 'POST', url: '/api/members/invite', headers: { cookie: owner.cookie }, payload: { email, role: opts.role ?? 'member' } });
  if (invited.statusCode !== 201) throw new Error(`invite failed: ${invited.statusCode} ${invited.body}`);
  const token = decodeURIComponent(tokenFrom((await lastMailTo(app, email))!.text)!);
  const joined = await app.inject({ method: 'POST', url: '/api/members/accept', payload: { token, name, password: 'member-pass-1' } });
  if (joined.statusCode !== 201) throw new Error(`accept failed: ${joined.statusCode} ${joined.body}`);
  return { email, name, userId: joined.json().userId as string, cookie: sessionCookieFrom(joined)! };
}

/** Registers an owner and logs in: the usual start of a test. */
export async function signedInOwner(app: FastifyInstance, overrides: Parameters<typeof register>[1] = {}) {
  const account = await register(app, overrides);
  const cookie = await login(app, account.email, account.password);
  return { ...account, cookie };
}

/** Newest sandbox mail to an address. */
export async function lastMailTo(app: FastifyInstance, to: string) {
  const res = await app.inject({ method: 'GET', url: `/sandbox/mail?to=${encodeURIComponent(to)}` });
  return (res.json() as Array<{ subject: string; text: string; html: string }>)[0];
}

export const tokenFrom = (text: string) => /token=([A-Za-z0-9_%-]+)/.exec(text)?.[1];

export async function setPlan(app: FastifyInstance, organizationId: string, plan: string, extra: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'PATCH',
    url: `/api/admin/organizations/${organizationId}`,
    headers: { 'x-admin-key': 'test-admin-key' },
    payload: { plan, ...extra },
  });
  if (res.statusCode !== 200) throw new Error(`setPlan failed: ${res.statusCode} ${res.body}`);
}

/** Makes the next `count` requests to a sandbox emulator fail with `status`. */
export async function injectFault(app: FastifyInstance, service: string, status: number, count: number, retryAfter?: number) {
  const res = await app.inject({ method: 'POST', url: `/sandbox/${service}/_faults`, payload: { status, count, retryAfter } });
  if (res.statusCode !== 200) throw new Error(`fault injection failed: ${res.statusCode} ${res.body}`);
}

/**
 * An owner on `plan` whose organization has an assistant registered from the VAPI emulator
 * (the usual start of a feature test). `spec` overrides the emulated assistant's fields.
 */
export async function ownerWithAssistant(
  app: FastifyInstance,
  opts: { plan?: string; organizationName?: string; spec?: Partial<AssistantSpec> } = {},
) {
  const owner = await signedInOwner(app, opts.organizationName ? { organizationName: opts.organizationName } : {});
  await setPlan(app, owner.organizationId, opts.plan ?? 'PRO');
  const remote = await app.ctx.providers.vapi.createAssistant({ name: 'Reception AI', systemPrompt: 'Hi', ...opts.spec });
  const res = await app.inject({
    method: 'POST',
    url: '/api/assistants',
    headers: { cookie: owner.cookie },
    payload: { vapiAssistantId: remote.id, name: 'Reception AI' },
  });
  if (res.statusCode !== 201) throw new Error(`assistant registration failed: ${res.statusCode} ${res.body}`);
  return { owner, remote, vapiAssistantId: remote.id, assistant: res.json().assistant };
}
