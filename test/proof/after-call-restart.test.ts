/**
 * Notifications survive a crash, on the REAL server process: with the test-only hook
 * EPOCH_TEST_SIGKILL_AFTER_CALL_STORED=1 the server SIGKILLs itself right after the
 * end-of-call report and its notifications are stored, before anything is sent. The next
 * start (same database) sends the owner's email at once (its startup kick), exactly once.
 * Postgres with TEST_DATABASE_URL, PGlite on a DATA_DIR without.
 */
import { afterAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../src/db/client.js';
import { Fleet, createPostgresDatabase, endOfCallReport, freePort, ownerWithAssistant, postVapi, scratchDir } from './proc.js';

const PG_URL = process.env.TEST_DATABASE_URL;
const fleet = new Fleet();
const data = scratchDir('ev-proof-after-call-');
let dropDatabase: (() => Promise<void>) | undefined;
afterAll(async () => {
  await fleet.killAll();
  await dropDatabase?.();
  data.cleanup();
});

async function databaseEnv(): Promise<Record<string, string>> {
  if (PG_URL) {
    const db = await createPostgresDatabase(PG_URL, 'ev_proof_after_call');
    dropDatabase = db.drop;
    return { DATABASE_URL: db.url };
  }
  const seed = await openDatabase({ dataDir: `${data.dir}/pglite`, loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
  await seed.close();
  return {};
}

describe(`SIGKILL between storing a call and notifying (${PG_URL ? 'Postgres' : 'PGlite'})`, () => {
  it('the restarted server sends the email exactly once', { timeout: 120_000 }, async () => {
    onTestFailed(() => fleet.printLogs());
    const env = await databaseEnv();
    const first = fleet.start('crashing', { port: await freePort(), dataDir: data.dir, env: { ...env, EPOCH_TEST_SIGKILL_AFTER_CALL_STORED: '1' } });
    await first.ready();
    const owner = await ownerWithAssistant(first.url);
    const report = endOfCallReport('proof_after_call_1', owner.vapiAssistantId, 95);
    report.message.startedAt = new Date(Date.now() - 300_000).toISOString();
    report.message.endedAt = new Date(Date.now() - 205_000).toISOString();
    Object.assign(report.message.analysis, {
      structuredData: { callerName: 'Dana', reason: 'Wants a quote.', category: 'quote', urgent: false, callbackRequested: true, appointmentBooked: false },
    });
    await postVapi(first.url, report).catch(() => undefined); // the process dies before answering
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = fleet.start('restarted', { port: await freePort(), dataDir: data.dir, env });
    await second.ready();
    const get = async (path: string) => (await fetch(`${second.url}${path}`, { headers: { cookie: owner.cookie } })).json();
    const [stored] = (await get('/api/calls')).calls;
    expect(stored.outcome).toMatchObject({ callbackRequested: true });
    let sent: Array<{ channel: string; status: string }> = [];
    for (let i = 0; i < 200 && !sent.some((n) => n.status === 'sent'); i++) {
      sent = (await get(`/api/notifications?callId=${stored.id}`)).notifications;
      await sleep(50);
    }
    expect(sent.map((n) => `${n.channel}:${n.status}`)).toEqual(['email:sent']);

    // The report again (VAPI or the sync job) sends nothing more.
    expect((await postVapi(second.url, report)).status).toBe(200);
    await sleep(300);
    const mails = (await (await fetch(`${second.url}/sandbox/mail?to=${encodeURIComponent(owner.email)}`)).json()) as Array<{ subject: string }>;
    expect(mails.filter((m) => m.subject.startsWith('Call from'))).toHaveLength(1);
  });
});
