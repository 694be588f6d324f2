import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { startScheduler } from '../src/jobs/runner.js';
import { jobRuns } from '../src/db/schema/index.js';

describe('scheduler stop', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { SCHEDULER_TEST_EVERY_SECOND: '1' } });
  });
  afterAll(() => t.close());

  it('waits for the run in progress to finish (and record itself) before it resolves', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const scheduler = startScheduler(t.app.ctx, [{ name: 'test-slow', schedule: '0 0 * * *', run: async () => (await gate, { done: 1 }) }]);
    while (scheduler.running().length === 0) await sleep(20);
    expect(scheduler.running()).toEqual(['test-slow']);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await sleep(1500); // a tick passes: none starts, and stop() still waits
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(scheduler.running()).toEqual([]);
    const runs = await t.database.db.select().from(jobRuns).where(eq(jobRuns.job, 'test-slow'));
    expect(runs).toHaveLength(1);
    expect(runs[0]!.result).toEqual({ done: 1 });
    expect(runs[0]!.finishedAt).not.toBeNull();
  });
});
