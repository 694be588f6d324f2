/** One stage of a graceful shutdown, named in the log if it is where the deadline found us. */
export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

interface Logger {
  error(obj: object, msg: string): void;
}

/**
 * Runs every step in order (a failed step is logged and the next still runs) and answers the
 * exit code: 0 when all finished, 1 when one failed or when they had not finished within
 * `deadlineMs`; then the step it was on and what was still open are logged, so a stuck
 * shutdown names its culprit instead of hanging until the orchestrator's SIGKILL.
 */
export async function shutDown(steps: ShutdownStep[], opts: { deadlineMs: number; log: Logger; stillOpen: () => object }): Promise<number> {
  let current = steps[0]?.name ?? 'none';
  const work = (async () => {
    let code = 0;
    for (const step of steps) {
      current = step.name;
      try {
        await step.run();
      } catch (err) {
        opts.log.error({ err, step: step.name }, 'error while shutting down');
        code = 1;
      }
    }
    return code;
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      opts.log.error({ step: current, open: opts.stillOpen() }, `shutdown did not finish within ${opts.deadlineMs} ms; exiting anyway`);
      resolve(1);
    }, opts.deadlineMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
