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
 * Runs the steps in order, skipping the ones already done. Each output is saved as soon
 * as its step succeeds; the first failure is recorded and stops the run, so calling again
 * resumes exactly there. Returns every output so far and this run's error, if any.
 */
export async function runSteps(ctx: AppContext, organizationId: string, steps: Step[]) {
  const state = await loadState(ctx, organizationId);
  const done = { ...state.steps };
  for (const step of steps) {
    if (done[step.name]) continue;
    try {
      const output = await step.run(done);
      done[step.name] = output;
      await ctx.db
        .update(provisioningState)
        .set({ steps: sql`${provisioningState.steps} || ${JSON.stringify({ [step.name]: output })}::jsonb`, updatedAt: sql`now()` })
        .where(eq(provisioningState.organizationId, organizationId));
    } catch (err) {
      const error: ProvisioningError = {
        step: step.name,
        message: err instanceof ProviderError || err instanceof Error ? err.message : String(err),
        at: ctx.now().toISOString(),
      };
      ctx.log.warn({ err, step: step.name, organizationId }, 'provisioning step failed');
      await ctx.db
        .update(provisioningState)
        .set({ errors: sql`${provisioningState.errors} || ${JSON.stringify([error])}::jsonb`, updatedAt: sql`now()` })
        .where(eq(provisioningState.organizationId, organizationId));
      return { done, error };
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
