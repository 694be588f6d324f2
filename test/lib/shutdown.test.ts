import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { shutDown } from '../../src/lib/shutdown.js';

function recorder() {
  const errors: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  return { errors, log: { error: (obj: object, msg: string) => void errors.push({ obj: obj as Record<string, unknown>, msg }) } };
}

describe('shutDown', () => {
  it('runs every step in order and answers 0', async () => {
    const { log, errors } = recorder();
    const order: string[] = [];
    const step = (name: string) => ({ name, run: async () => void order.push(name) });
    expect(await shutDown([step('jobs'), step('http'), step('database')], { deadlineMs: 1000, log, stillOpen: () => ({}) })).toBe(0);
    expect(order).toEqual(['jobs', 'http', 'database']);
    expect(errors).toEqual([]);
  });

  it('still closes the database when an earlier step fails, and answers 1', async () => {
    const { log, errors } = recorder();
    let closed = false;
    const code = await shutDown(
      [
        { name: 'http', run: () => Promise.reject(new Error('boom')) },
        { name: 'database', run: async () => void (closed = true) },
      ],
      { deadlineMs: 1000, log, stillOpen: () => ({}) },
    );
    expect([code, closed]).toEqual([1, true]);
    expect(errors[0]?.obj.step).toBe('http');
  });

  it('gives up at the deadline on a step that never ends, naming it and what is still open', async () => {
    const { log, errors } = recorder();
    const started = Date.now();
    const code = await shutDown(
      [
        { name: 'jobs', run: () => sleep(5) },
        { name: 'database', run: () => new Promise(() => {}) },
      ],
      { deadlineMs: 200, log, stillOpen: () => ({ jobs: ['sync-calls'], pools: { queries: { total: 1, idle: 0, waiting: 1 } } }) },
    );
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(errors).toEqual([
      {
        obj: { step: 'database', open: { jobs: ['sync-calls'], pools: { queries: { total: 1, idle: 0, waiting: 1 } } } },
        msg: 'shutdown did not finish within 200 ms; exiting anyway',
      },
    ]);
  });
});
