import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { JOBS } from './jobs/index.js';
import { startScheduler } from './jobs/runner.js';

/** Reads config, builds (migrates) and listens; closes gracefully on SIGINT/SIGTERM. */
async function main() {
  const startedAt = performance.now();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildApp(config);
  await app.listen({ host: config.host, port: config.port });
  const stopScheduler = config.scheduler ? startScheduler(app.ctx, JOBS) : () => {};
  app.log.info(
    { sandbox: config.sandbox, database: config.databaseUrl ? 'postgres' : 'pglite', startupMs: Math.round(performance.now() - startedAt) },
    `Epoch Voice ready at ${config.appUrl}`,
  );

  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      stopScheduler();
      app.close().then(
        () => process.exit(0),
        (err) => {
          app.log.error({ err }, 'error while closing');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
