import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/client.js';
import { codeCache } from './lib/code-cache.js';
import { shutDown } from './lib/shutdown.js';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * Reads config, opens the database while the app's modules load (PGlite's start-up overlaps
 * the imports), migrates, listens, starts the scheduler; closes gracefully on SIGINT/SIGTERM.
 */
async function main() {
  // When each step of start-up was done, in ms since the process started (performance.now()'s
  // origin), so the ready line shows where a slow start went; modules and database overlap.
  const startup: Record<string, number> = {};
  const done = (step: 'modulesMs' | 'databaseMs' | 'migratedMs' | 'appMs' | 'listeningMs') => void (startup[step] = Math.round(performance.now()));
  const config = readConfig();
  const early = signalsBeforeListening();
  const opening = openDatabase({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pglite` }).finally(() => done('databaseMs'));
  const [{ buildApp }, { JOBS }, { startScheduler }] = await Promise.all([
    import('./app.js'),
    import('./jobs/index.js'),
    import('./jobs/runner.js'),
  ]);
  done('modulesMs');
  const database = await opening;
  const stopBeforeListening = async () => {
    console.error(`${early.received}: stopping before listening`);
    await database.close();
    process.exit(0);
  };
  if (early.received) return stopBeforeListening();
  await database.migrate();
  done('migratedMs');
  if (early.received) return stopBeforeListening();
  const app = await buildApp(config, { database });
  done('appMs');
  if (early.received) {
    await app.close();
    return stopBeforeListening();
  }
  await app.listen({ host: config.host, port: config.port });
  done('listeningMs');
  app.log.info({ sandbox: config.sandbox, database: database.kind, startup, codeCache: codeCache()?.status }, `Epoch Voice ready at ${config.appUrl}`);
  const scheduler = config.scheduler ? startScheduler(app.ctx, JOBS) : undefined;
  const sockets = new Set<import('node:net').Socket>();
  app.server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const { lifecycle } = app.ctx;
  let drainTimer: NodeJS.Timeout | undefined;
  const close = () => {
    if (lifecycle.closing) return;
    clearTimeout(drainTimer);
    lifecycle.closing = true;
    app.server.closeIdleConnections();
    app.log.info('shutting down');
    // Jobs first (they finish and release their advisory locks), then requests, then the
    // pools: a pool only ends once every connection checked out of it is back.
    void shutDown(
      [
        { name: 'jobs', run: async () => scheduler?.stop() },
        { name: 'http', run: () => app.close() },
        { name: 'database', run: () => database.close() },
      ],
      {
        deadlineMs: config.shutdownTimeoutMs,
        log: app.log,
        stillOpen: () => ({ jobs: scheduler?.running() ?? [], connections: sockets.size, pools: database.poolStats?.() }),
      },
    ).then((code) => process.exit(code));
  };
  // SIGTERM (orchestrators): drain first. /api/ready turns 503 at once while every request is
  // still served, so the load balancer's probes take this instance out before it stops
  // answering. SIGINT (a terminal), or a second signal, closes at once.
  process.on('SIGTERM', () => {
    if (lifecycle.draining) return close();
    lifecycle.draining = true;
    app.log.info({ drainMs: config.shutdownDrainMs }, 'draining: readiness is 503, still serving');
    drainTimer = setTimeout(close, config.shutdownDrainMs);
  });
  process.on('SIGINT', () => {
    lifecycle.draining = true;
    close();
  });
  // The handlers above are in place (no moment without one), so the early ones go; a signal
  // that came while app.listen ran shuts down as they would have.
  early.release();
  if (early.received === 'SIGINT') process.emit('SIGINT');
  else if (early.received) process.emit('SIGTERM');
  // Now V8's code cache holds what start-up compiled; written only when this start had none to
  // use, after the signal handlers, so a signal meanwhile waits for it instead of cutting it short.
  else codeCache()?.save();
}

/**
 * SIGTERM and SIGINT from the first moment: as PID 1 in a container (the image's CMD), a
 * signal with no handler is ignored, so a stop during start-up (initdb, migrations) would be
 * lost and the server would start anyway. Until it listens, a signal is noted and start-up
 * ends after the step it is on (the database closed, exit 0); a second one exits at once.
 */
function signalsBeforeListening() {
  const state = {
    received: undefined as NodeJS.Signals | undefined,
    release: () => {
      process.off('SIGTERM', note);
      process.off('SIGINT', note);
    },
  };
  function note(signal: NodeJS.Signals) {
    if (state.received) process.exit(1);
    state.received = signal;
  }
  process.on('SIGTERM', note);
  process.on('SIGINT', note);
  return state;
}

/** `--check-config`: validate the environment for production, list every problem, start nothing. */
async function checkConfig() {
  const { productionConfigProblems } = await import('./config-check.js');
  const problems = productionConfigProblems(process.env);
  if (problems.length === 0) {
    console.log('configuration ok for production');
    process.exit(0);
  }
  console.error(`${problems.length} configuration problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}

(process.argv.includes('--check-config') ? checkConfig() : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
