import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { provisioningState, type ProvisioningError } from '../../db/schema/index.js';
import { ProviderError } from '../../providers/errors.js';

export type StepOutput = Record<string, unknown>;

/** One step of a provisioning pipeline; `run` sees the outputs of the steps before it. */
export interface Step {
  name: string;
  run(done: Record<string, StepOutput>): Promise<StepOutput>;
}

async function loadState(ctx: AppContext, organizationId: string) {
  await ctx.db.insert(provisioningState).values({ organizationId }).onConflictDoNothing();
  const [row] = await ctx.db.select().from(provisioningState).where(eq(provisioningState.organizationId, organizationId));
  return row!;
}

/**
 * Thrown by a step that finds what an earlier step recorded no longer usable (a number that is
 * not ours, or taken at VAPI): that earlier step, and every one after it, runs again.
 */
export class RedoStep extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
  }
}

/** Redos per run: enough to get past a number lost to a race, bounded so a run always ends. */
const MAX_REDOS = 2;

async function recordError(ctx: AppContext, organizationId: string, step: string, err: unknown) {
  const error: ProvisioningError = {
    step,
    message: err instanceof ProviderError || err instanceof Error ? err.message : String(err),
    at: ctx.now().toISOString(),
  };
  ctx.log.warn({ err, step, organizationId }, 'provisioning step failed');
  await ctx.db
    .update(provisioningState)
    .set({ errors: sql`${provisioningState.errors} || ${JSON.stringify([error])}::jsonb`, updatedAt: sql`now()` })
    .where(eq(provisioningState.organizationId, organizationId));
  return error;
}

/**
 * Runs the steps in order, skipping the ones already done. Each output is saved as soon
 * as its step succeeds; the first failure is recorded and stops the run, so calling again
 * resumes exactly there (a RedoStep goes back to the step it names, a bounded number of
 * times). Returns every output so far and this run's error, if any.
 */
export async function runSteps(ctx: AppContext, organizationId: string, steps: Step[]) {
  const state = await loadState(ctx, organizationId);
  const done = { ...state.steps };
  let redos = 0;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (done[step.name]) continue;
    try {
      const output = await step.run(done);
      done[step.name] = output;
      await ctx.db
        .update(provisioningState)
        .set({ steps: sql`${provisioningState.steps} || ${JSON.stringify({ [step.name]: output })}::jsonb`, updatedAt: sql`now()` })
        .where(eq(provisioningState.organizationId, organizationId));
    } catch (err) {
      const error = await recordError(ctx, organizationId, step.name, err);
      const from = err instanceof RedoStep ? steps.findIndex((s) => s.name === err.step) : -1;
      if (from < 0 || from > i || redos++ >= MAX_REDOS) return { done, error };
      const again = steps.slice(from, i + 1).map((s) => s.name);
      for (const name of again) delete done[name];
      await clearSteps(ctx, organizationId, again);
      i = from - 1;
    }
  }
  return { done, error: undefined };
}

/** Forgets finished steps (after their result is stored for good, or to provision again). */
export async function clearSteps(ctx: AppContext, organizationId: string, names: string[]) {
  await ctx.db
    .update(provisioningState)
    .set({ steps: sql`${provisioningState.steps} - ${sql.join(names.map((n) => sql`${n}::text`), sql` - `)}`, updatedAt: sql`now()` })
    .where(eq(provisioningState.organizationId, organizationId));
}
