import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { publicDocument } from '../src/plugins/openapi-audience.js';

/**
 * The app's public OpenAPI document, built in-process (an in-memory database, a throwaway data
 * directory, no server, no network): what /api/openapi.json answers.
 */
export async function openApiDocument(): Promise<Record<string, any>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ev-openapi-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    SANDBOX: '1',
    SCHEDULER: '0',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    APP_URL: 'http://localhost:3000',
    AUTH_SECRET: 'openapi-document',
    CRON_SECRET: 'openapi-document',
    ADMIN_API_KEY: 'openapi-document',
    ENCRYPTION_KEY: '0'.repeat(64),
  });
  const database = await openDatabase({ dataDir: 'memory://' });
  await database.migrate();
  const app = await buildApp(config, { logger: false, database });
  try {
    await app.ready();
    return publicDocument(app.swagger());
  } finally {
    await app.close();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
