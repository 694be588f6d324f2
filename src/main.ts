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
  const opening = openDatabase({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pglite` }).finally(() => done('databaseMs'));
  const [{ buildApp }, { JOBS }, { startScheduler }] = await Promise.all([
    import('./app.js'),
    import('./jobs/index.js'),
    import('./jobs/runner.js'),
  ]);
  done('modulesMs');
  const database = await opening;
  await database.migrate();
  done('migratedMs');
  const app = await buildApp(config, { database });
  done('appMs');
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
  // Now V8's code cache holds what start-up compiled; written only when this start had none to
  // use, after the signal handlers, so a signal meanwhile waits for it instead of cutting it short.
  codeCache()?.save();
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
