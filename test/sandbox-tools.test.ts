import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListeningApp, buildTestApp } from './helpers/app.js';
import { ownerWithAssistant, signedInOwner } from './helpers/factories.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
beforeAll(async () => {
  // Listening: the emulator is reached over HTTP and its webhooks come back over HTTP.
  t = await buildListeningApp();
});
afterAll(() => t.close());

type Who = { cookie: string };
const get = (who: Who, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
const simulate = (who: Who | null, payload?: object) =>
  t.app.inject({ method: 'POST', url: '/api/sandbox/simulate-call', headers: who ? { cookie: who.cookie } : {}, ...(payload ? { payload } : {}) });

describe('sandbox tools', () => {
  it('say the server runs in the sandbox, to signed-in users', async () => {
    const owner = await signedInOwner(t.app);
    const res = await get(owner, '/api/sandbox');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sandbox: true });
    expect((await t.app.inject({ method: 'GET', url: '/api/sandbox' })).statusCode).toBe(401);
  });

  it('play a sample call that shows in the calls list, its detail and the minutes used', async () => {
    const { owner } = await ownerWithAssistant(t.app, { organizationName: 'Harbor Dental', spec: { firstMessage: 'Harbor Dental, this is Ava speaking.' } });
    const res = await simulate(owner);
    expect(res.statusCode).toBe(200);
    const played = res.json();
    expect(played.customerNumber).toMatch(/^\+1\d{3}55501\d{2}$/);
    expect(played.durationSeconds).toBeGreaterThanOrEqual(60);
    expect(played.durationSeconds).toBeLessThanOrEqual(180);

    const list = (await get(owner, '/api/calls')).json().calls;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: played.callId, vapiCallId: played.vapiCallId, status: 'COMPLETED', customerNumber: played.customerNumber });
    expect(list[0].summary).toMatch(/\w+ \w+/);

    const { call } = (await get(owner, `/api/calls/${played.callId}`)).json();
    expect(call.transcript.split('\n')[0]).toBe('AI: Harbor Dental, this is Ava speaking.');
    const spoken = call.messages.filter((m: { role: string }) => m.role === 'bot' || m.role === 'user');
    expect(spoken.length).toBeGreaterThanOrEqual(4);
    expect(new Set(spoken.map((m: { role: string }) => m.role))).toEqual(new Set(['bot', 'user']));

    const usage = (await get(owner, '/api/usage?days=7')).json();
    expect(usage.snapshot.minutesUsed).toBeCloseTo(played.durationSeconds / 60, 1);
    expect(usage.recentCalls.map((c: { id: string }) => c.id)).toEqual([played.callId]);

    // A second call adds to the first; a chosen caller number is used as given.
    const again = await simulate(owner, { customerNumber: '+14155550142' });
    expect(again.statusCode).toBe(200);
    expect(again.json().customerNumber).toBe('+14155550142');
    expect((await get(owner, '/api/calls')).json().calls).toHaveLength(2);
    const total = (played.durationSeconds + again.json().durationSeconds) / 60;
    expect((await get(owner, '/api/usage?days=7')).json().snapshot.minutesUsed).toBeCloseTo(total, 1);
  });

  it('refuses without a session, without an assistant, and with a bad caller number', async () => {
    const noSession = await simulate(null);
    expect(noSession.statusCode).toBe(401);
    expect(noSession.json().code).toBe('UNAUTHORIZED');

    const newcomer = await signedInOwner(t.app);
    const noAssistant = await simulate(newcomer);
    expect(noAssistant.statusCode).toBe(409);
    expect(noAssistant.json()).toMatchObject({ code: 'CONFLICT', error: expect.stringMatching(/finish setup/) });
    expect((await get(newcomer, '/api/calls')).json().calls).toEqual([]);

    const { owner } = await ownerWithAssistant(t.app);
    const bad = await simulate(owner, { customerNumber: 'not a number' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    expect((await get(owner, '/api/calls')).json().calls).toEqual([]);
  });

  it('are documented under the Sandbox tag', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/sandbox/simulate-call'].post.tags).toEqual(['Sandbox']);
    expect(doc.paths['/api/sandbox'].get.tags).toEqual(['Sandbox']);
  });
});

describe('outside the sandbox', () => {
  it('the sandbox tools are not mounted', async () => {
    const live = await buildTestApp({ env: { SANDBOX: '0' } });
    try {
      const owner = await signedInOwner(live.app);
      for (const [method, url] of [['GET', '/api/sandbox'], ['POST', '/api/sandbox/simulate-call']] as const) {
        const res = await live.app.inject({ method, url, headers: { cookie: owner.cookie } });
        expect(res.statusCode).toBe(404);
        expect(res.json().code).toBe('NOT_FOUND');
      }
      const doc = (await live.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      expect(Object.keys(doc.paths).filter((p) => p.includes('sandbox'))).toEqual([]);
    } finally {
      await live.close();
    }
  });
});
