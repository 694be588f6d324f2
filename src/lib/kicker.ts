import type { AppContext } from '../context.js';

interface KickState {
  running: Promise<void> | null;
  again: boolean;
  stopped: boolean;
}

/**
 * A background "run now" for a durable queue: at most one run per app instance, a kick
 * during a run makes it go round once more, errors are logged. The queue's cron job is the
 * safety net; the kick only makes it prompt.
 */
export function createKicker(name: string, run: (ctx: AppContext) => Promise<unknown>) {
  const states = new WeakMap<AppContext, KickState>();
  const stateOf = (ctx: AppContext) => {
    let state = states.get(ctx);
    if (!state) states.set(ctx, (state = { running: null, again: false, stopped: false }));
    return state;
  };
  return {
    kick(ctx: AppContext): void {
      const state = stateOf(ctx);
      if (state.stopped) return;
      if (state.running) {
        state.again = true;
        return;
      }
      state.running = (async () => {
        try {
          do {
            state.again = false;
            await run(ctx);
          } while (state.again && !state.stopped);
        } catch (err) {
          ctx.log.error({ err }, `${name}: background run failed`);
        } finally {
          state.running = null;
        }
      })();
    },
    /** On app close: no new kicks, and the one running finishes before the database closes. */
    async stop(ctx: AppContext): Promise<void> {
      const state = stateOf(ctx);
      state.stopped = true;
      await state.running;
    },
    /** Waits for the run in progress, if any (tests). */
    idle: (ctx: AppContext) => stateOf(ctx).running ?? Promise.resolve(),
  };
}
