/**
 * Restart safety of the money job: SIGKILL the REAL server while overage-billing is invoicing
 * and charging organizations one by one at Stripe (the sandbox emulator, same process, same
 * database), start it again, run the job again: every organization billed exactly once for
 * the week (one charge row, one Stripe invoice item, one invoice, paid once), nothing twice.
 * Postgres only (TEST_DATABASE_URL): PGlite is one process.
 */
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { previousWeek } from '../../src/modules/billing/weeks.js';
import { OVERAGE_RATE_CENTS_PER_MIN, PLANS } from '../../src/domain/plans.js';
import { Fleet, SECRETS, postgresServers } from './proc.js';

const PG_URL = process.env.TEST_DATABASE_URL;
const fleet = new Fleet();
afterAll(() => fleet.killAll());

describe.skipIf(!PG_URL)('restart safety of overage-billing on Postgres (skipped without TEST_DATABASE_URL)', () => {
  const postgres = postgresServers(fleet, PG_URL!, 'ev_proof_overage');

  it('SIGKILL mid-run, restart, run again: each organization billed once for the week', { timeout: 120_000 }, async () => {
    onTestFailed(() => fleet.printLogs());
    const ORGS = 80;
    const KILL_AFTER_SETTLED = 25;
    let server = await postgres.start('overage-1');
    const week = previousWeek(new Date());
    const included = PLANS.PRO.minutes * 60;

    // Stripe customers through the emulator's API; each gets a default card (the emulator's
    // checkout would do that; here one SQL statement over its documents).
    const customers: string[] = [];
    for (let i = 0; i < ORGS; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, ORGS - i) }, async (_, j) => {
          const res = await fetch(`${server.url}/sandbox/stripe/v1/customers`, {
            method: 'POST',
            headers: { authorization: `Bearer ${SECRETS.STRIPE_SECRET_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
            body: `email=proof-overage-${i + j}%40example.com`,
          });
          expect(res.status).toBe(200);
          return ((await res.json()) as { id: string }).id;
        }),
      );
      customers.push(...batch);
    }
    await postgres.client.query(
      `insert into sandbox_resources (service, kind, id, owner, data)
       select 'stripe', 'payment_method', 'pm_proof_' || c.ord, c.id, jsonb_build_object(
         'id', 'pm_proof_' || c.ord, 'object', 'payment_method', 'type', 'card', 'customer', c.id, 'livemode', false, 'metadata', '{}'::jsonb,
         'created', extract(epoch from now())::int,
         'card', jsonb_build_object('brand', 'visa', 'country', 'US', 'exp_month', 12, 'exp_year', 2040, 'funding', 'credit', 'last4', '4242'))
       from unnest($1::text[]) with ordinality as c(id, ord)`,
      [customers],
    );
    await postgres.client.query(
      `update sandbox_resources r set data = jsonb_set(r.data, '{invoice_settings,default_payment_method}', to_jsonb('pm_proof_' || c.ord))
       from unnest($1::text[]) with ordinality as c(id, ord)
       where r.service = 'stripe' and r.kind = 'customer' and r.id = c.id`,
      [customers],
    );
    // Organizations on PRO with overage on, a subscription, and one call in the past week
    // that goes 1–10 minutes past the included minutes.
    await postgres.client.query(
      `with orgs as (
         insert into organizations (name, plan, overage_enabled, cycle_start, cycle_end)
         select 'Proof overage ' || g, 'PRO', true, now() - interval '20 days', now() + interval '10 days'
         from generate_series(1, $2::int) g
         returning id, substring(name from 15)::int as ord
       ), subs as (
         insert into subscriptions (organization_id, stripe_customer_id, status, tier)
         select o.id, c.id, 'active', 'PRO' from orgs o join unnest($1::text[]) with ordinality as c(id, ord) on c.ord = o.ord
         returning 1
       )
       insert into calls (organization_id, vapi_call_id, status, duration_seconds, usage_counted_at)
       select o.id, 'proof_overage_' || o.ord, 'COMPLETED', $3::int + 60 * (1 + o.ord % 10), $4::timestamptz + interval '2 days'
       from orgs o`,
      [customers, ORGS, included, week.start],
    );
    const expected = await postgres.rows<{ organization_id: string; customer: string; amount: number }>(
      `select c.organization_id, s.stripe_customer_id as customer, round((c.duration_seconds - $1) * ${OVERAGE_RATE_CENTS_PER_MIN}::numeric / 60)::int as amount
       from calls c join subscriptions s using (organization_id) where c.vapi_call_id like 'proof_overage_%'`,
      [included],
    );
    expect(expected).toHaveLength(ORGS);
    const expectedTotal = expected.reduce((s, e) => s + e.amount, 0);

    // Run it; once KILL_AFTER_SETTLED organizations are through, freeze the process (SIGSTOP)
    // and look: when the next organization is half-way (Stripe holds its invoice item, our row
    // still says PENDING) and no emulated Stripe request is mid-execution, SIGKILL it there;
    // otherwise let it run on (SIGCONT) and look again. The emulated Stripe lives in our
    // process; the real one would finish a request our crash interrupted (see the report).
    const inflight = fetch(`${server.url}/api/cron/overage-billing`, { headers: { authorization: `Bearer ${SECRETS.CRON_SECRET}` } }).then(
      (r) => r.status,
      () => 'connection lost',
    );
    const look = async () =>
      (
        await postgres.rows<{ settled: number; items: number; invoices: number; stripeInFlight: number }>(`select
          (select count(*) from overage_charges where status not in ('PENDING', 'INVOICED'))::int as settled,
          (select count(*) from sandbox_resources where service = 'stripe' and kind = 'invoiceitem')::int as items,
          (select count(*) from sandbox_resources where service = 'stripe' and kind = 'invoice')::int as invoices,
          (select count(*) from sandbox_idempotency where status = 'pending')::int as "stripeInFlight"`)
      )[0]!;
    const deadline = Date.now() + 60_000;
    let atKill: Awaited<ReturnType<typeof look>> | undefined;
    let freezes = 0;
    while (!atKill) {
      if (Date.now() > deadline) throw new Error(`overage-billing never reached the kill point: ${JSON.stringify(await look())}`);
      const r = await look();
      if (r.settled < KILL_AFTER_SETTLED || r.items <= r.settled) {
        await sleep(2);
        continue;
      }
      server.child.kill('SIGSTOP');
      freezes++;
      await sleep(100); // statements the process sent before it froze finish in Postgres
      const frozen = await look();
      if (frozen.items > frozen.settled && frozen.stripeInFlight === 0) {
        await server.kill('SIGKILL');
        atKill = frozen;
      } else {
        server.child.kill('SIGCONT');
      }
    }
    expect(await inflight).toBe('connection lost');
    const statusAtKill = await postgres.rows<{ status: string; n: number }>(`select status, count(*)::int as n from overage_charges group by status order by status`);

    server = await postgres.start('overage-2');
    let second: Record<string, number> | undefined;
    for (let i = 0; i < 150 && !second; i++) {
      const res = await fetch(`${server.url}/api/cron/overage-billing`, { headers: { authorization: `Bearer ${SECRETS.CRON_SECRET}` } });
      if (res.status === 409) await sleep(100); // the killed run's advisory lock is being released
      else {
        expect(res.status).toBe(200);
        second = (await res.json()) as Record<string, number>;
      }
    }
    const third = (await (
      await fetch(`${server.url}/api/cron/overage-billing`, { headers: { authorization: `Bearer ${SECRETS.CRON_SECRET}` } })
    ).json()) as Record<string, number>;

    const charges = await postgres.rows<{ organization_id: string; amount_cents: number; status: string; attempts: number; last_error: string | null; stripe_invoice_id: string | null }>(
      `select organization_id, amount_cents, status, attempts, last_error, stripe_invoice_id from overage_charges where week_start = $1::date`,
      [week.startDate],
    );
    const invoices = await postgres.rows<{ customer: string; n: number; paid: number; amount_paid: number; lines: number }>(
      `select data->>'customer' as customer, count(*)::int as n, count(*) filter (where data->>'status' = 'paid')::int as paid,
              coalesce(sum((data->>'amount_paid')::int), 0)::int as amount_paid, sum(jsonb_array_length(data->'lines'->'data'))::int as lines
       from sandbox_resources where service = 'stripe' and kind = 'invoice' group by 1`,
    );
    const items = await postgres.rows<{ customer: string; n: number }>(
      `select data->>'customer' as customer, count(*)::int as n from sandbox_resources where service = 'stripe' and kind = 'invoiceitem' group by 1`,
    );
    const runs = await postgres.rows<{ finished: boolean; error: string | null }>(
      `select finished_at is not null as finished, error from job_runs where job = 'overage-billing' order by started_at`,
    );
    console.log(
      `[restart-overage] ${ORGS} organizations over their minutes; SIGKILL with ${atKill!.settled} charges settled, ` +
        `Stripe holding ${atKill!.items} items and ${atKill!.invoices} invoices, after ${freezes} freeze(s) (charges after the kill: ${statusAtKill.map((r) => `${r.status} ${r.n}`).join(', ')}); run after restart: ${JSON.stringify(second)}; ` +
        `third run: ${JSON.stringify(third)}; Stripe invoices ${invoices.reduce((s, i) => s + i.n, 0)}, paid ${invoices.reduce((s, i) => s + i.amount_paid, 0)} of ${expectedTotal} cents`,
    );
    const stuck = charges.filter((c) => c.status !== 'PAID');
    if (stuck.length > 0) console.log('[restart-overage] charges not paid:', JSON.stringify(stuck));

    // One charge per organization for the week, for the right amount…
    expect(charges).toHaveLength(ORGS);
    const byOrg = new Map(expected.map((e) => [e.organization_id, e]));
    for (const c of charges) expect(c.amount_cents).toBe(byOrg.get(c.organization_id)!.amount);
    // …one invoice item and one invoice at Stripe per customer, never two…
    expect(items.filter((i) => i.n !== 1)).toEqual([]);
    expect(invoices.filter((i) => i.n !== 1 || i.lines !== 1)).toEqual([]);
    expect(items).toHaveLength(ORGS);
    expect(invoices).toHaveLength(ORGS);
    // …each paid exactly once, for exactly what was owed.
    expect(stuck).toEqual([]);
    expect(invoices.reduce((s, i) => s + i.amount_paid, 0)).toBe(expectedTotal);
    expect(invoices.every((i) => i.paid === 1)).toBe(true);
    expect(third.billed).toBe(0);
    expect(runs.map((r) => [r.finished, r.error])).toEqual([
      [false, null],
      [true, null],
      [true, null],
    ]);
    await server.kill('SIGTERM');
  });
});
