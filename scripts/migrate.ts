import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';

/** Applies the committed migrations to DATABASE_URL, or to the PGlite database in DATA_DIR. */
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pglite` });
await database.migrate();
await database.close();
console.log(`migrations applied (${database.kind})`);
