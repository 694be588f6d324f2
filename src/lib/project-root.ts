import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root (the directory of package.json), found from this module's own place:
 * src/lib under tsx and Vitest, dist/server.cjs in the build (its import.meta.url). Files read at run
 * time (migrations, the dashboard's build, the widget's scripts) are found from here.
 */
export const PROJECT_ROOT = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
})();
