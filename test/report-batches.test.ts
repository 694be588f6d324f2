import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildListeningApp, buildTestApp, parsedLogs } from './helpers/app.js';
import { ownerWithAssistant } from './helpers/factories.js';
import { endOfCallReport, postVapi } from './helpers/vapi.js';
import { queryRows } from '../src/db/client.js';
import { parseEndOfCallReport, type CallReport } from '../src/domain/calls.js';
import { storeWithOthers } from '../src/modules/calls/report-batches.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const { lines: logs, stream: logStream } = parsedLogs();
let t: Awaited<ReturnType<typeof buildListeningApp>>;
beforeAll(async () => {
  t = await buildListeningApp({ env: { LOG_LEVEL: 'warn' }, logStream });
});
afterAll(() => t.close());

/** The transactions that wrote these calls: a row's created_at is its transaction's start. */
async function statementsFor(vapiCallIds: string[]) {
  const [row] = await queryRows<{ calls: number; statements: number; seconds: number }>(
    t.app.ctx.db,
    sql`select count(*)::int as calls, count(distinct created_at)::int as statements, coalesce(sum(duration_seconds) filter (where usage_counted_at is not null), 0)::int as seconds
      from calls where vapi_call_id in ${vapiCallIds}`,
  );
  return row!;
}

const reportOf = (vapiAssistantId: string, seconds = 60): CallReport => parseEndOfCallReport(endOfCallReport({ assistantId: vapiAssistantId, seconds }).message)!;
const asWebhook = (report: CallReport) => ({ vapiAssistantId: report.vapiAssistantId!, report, event: { key: `${report.vapiCallId}:end-of-call-report`, payload: {} }, withSubscribers: false, redacted: false });

describe('reports that arrive together', () => {
  it('share statements, each stored and counted once', async () => {
    const { vapiAssistantId } = await ownerWithAssistant(t.app, { plan: 'PRO' });
    const reports = Array.from({ length: 30 }, (_, i) => endOfCallReport({ assistantId: vapiAssistantId, seconds: 60 + i }));
    const answers = await Promise.all(reports.map((r) => postVapi(t.app, r)));
    expect(answers.map((a) => a.statusCode)).toEqual(reports.map(() => 200));
    const written = await statementsFor(reports.map((r) => r.message.call.id));
    expect(written).toMatchObject({ calls: 30, seconds: 30 * 60 + 435 });
    expect(written.statements).toBeLessThan(30);
  });

  it('split a burst larger than a statement holds (64 reports)', async () => {
    const { vapiAssistantId } = await ownerWithAssistant(t.app, { plan: 'PRO' });
    const reports = Array.from({ length: 130 }, () => reportOf(vapiAssistantId));
    const answers = await Promise.all(reports.map((r) => storeWithOthers(t.app.ctx, asWebhook(r))));
    expect(answers.every((s) => s.outcome === 'stored')).toBe(true);
    expect(await statementsFor(reports.map((r) => r.vapiCallId))).toEqual({ calls: 130, statements: 3, seconds: 130 * 60 });
  });

  it('keep a second copy of a report out of the statement the first is in: it finds the first stored', async () => {
    const { vapiAssistantId } = await ownerWithAssistant(t.app, { plan: 'PRO' });
    const [a, b, c] = [reportOf(vapiAssistantId), reportOf(vapiAssistantId), reportOf(vapiAssistantId)];
    const answers = await Promise.all([a, b, c, a].map((r) => storeWithOthers(t.app.ctx, asWebhook(r!))));
    expect(answers.map((s) => s.outcome)).toEqual(['stored', 'stored', 'stored', 'duplicate']);
    expect(await statementsFor([a!.vapiCallId, b!.vapiCallId, c!.vapiCallId])).toEqual({ calls: 3, statements: 1, seconds: 180 });
  });

  it('cost the others nothing when one of them cannot be stored', async () => {
    const { vapiAssistantId } = await ownerWithAssistant(t.app, { plan: 'PRO' });
    const good = [reportOf(vapiAssistantId), reportOf(vapiAssistantId), reportOf(vapiAssistantId)];
    const bad = { ...reportOf(vapiAssistantId), durationSeconds: 2 ** 31 }; // no int column holds it
    const answers = await Promise.allSettled([good[0], bad, good[1], good[2]].map((r) => storeWithOthers(t.app.ctx, asWebhook(r!))));
    expect(answers.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(await statementsFor(good.map((r) => r.vapiCallId))).toMatchObject({ calls: 3, seconds: 180 });
    expect(logs.some((l) => l.msg === 'reports stored one at a time: their shared statement failed' && l.reports === 4)).toBe(true);
  });

  it.runIf(onPostgres)('from two instances, in opposite orders, wait for each other instead of deadlocking', async () => {
    const other = await buildTestApp({ database: t.database, env: { LOG_LEVEL: 'warn' }, logStream });
    try {
      const { vapiAssistantId } = await ownerWithAssistant(t.app, { plan: 'PRO' });
      const reports = Array.from({ length: 40 }, () => reportOf(vapiAssistantId));
      const before = logs.length;
      // A third transaction holds the middle report's event, so both statements are surely
      // writing at once when it lets go: in opposite orders, each would then need the other's.
      let letGo!: () => void;
      const held = new Promise<void>((resolve) => {
        void t.app.ctx.db
          .transaction(async (tx) => {
            await tx.execute(sql`insert into webhook_events (provider, event_key, type, payload) values ('vapi', ${asWebhook(reports[20]!).event.key}, 'end-of-call-report', '{}')`);
            resolve();
            await new Promise<void>((release) => (letGo = release));
            tx.rollback();
          })
          .catch(() => undefined);
      });
      await held;
      const answers = Promise.all([
        ...reports.map((r) => storeWithOthers(t.app.ctx, asWebhook(r))),
        ...[...reports].reverse().map((r) => storeWithOthers(other.app.ctx, asWebhook(r))),
      ]);
      await expect.poll(async () => (await queryRows<{ n: number }>(t.app.ctx.db, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`))[0]!.n).toBe(2);
      letGo();
      const outcomes = (await answers).map((s) => s.outcome);
      expect(outcomes.filter((o) => o === 'stored')).toHaveLength(40);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(40);
      expect(await statementsFor(reports.map((r) => r.vapiCallId))).toMatchObject({ calls: 40, seconds: 40 * 60 });
      expect(logs.slice(before).filter((l) => l.msg === 'reports stored one at a time: their shared statement failed')).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
