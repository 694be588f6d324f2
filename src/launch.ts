/**
 * `node dist/main.js`: runs the server's bundle (dist/server.cjs, built by
 * scripts/build-server.mjs) with V8's code cache. Node 20 caches compiled code only for scripts,
 * not ES modules, so the bundle is CommonJS and compiled here through vm.Script with the
 * bytecode the previous start left (dist/server-<bundle hash>.v8cache): a restart then skips
 * parsing and compiling the ~5 MB bundle and the functions start-up runs.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script, constants } from 'node:vm';
import { provideCodeCache } from './lib/code-cache.js';

/** The bundle's content hash, set by the build: V8 itself only checks a cache against the source's length. */
declare const SERVER_BUNDLE_HASH: string;

const dir = dirname(fileURLToPath(import.meta.url));
const bundle = join(dir, 'server.cjs');
const cacheFile = join(dir, `server-${SERVER_BUNDLE_HASH}.v8cache`);

function readCache() {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

const cachedData = readCache();
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`, {
  filename: bundle,
  cachedData,
  // The bundle's import() of the packages left out of it goes through Node's own loader.
  importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const status = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
// V8 drops the bytecode of functions that have not run for a while at its garbage collections. A
// start that creates its database (initdb: seconds) would lose the modules' top-level code
// before the cache is written, so until then nothing is dropped.
if (status !== 'used') setFlagsFromString('--no-flush-bytecode');
provideCodeCache({
  status,
  save() {
    if (status === 'used') return;
    setFlagsFromString('--flush-bytecode');
    const partial = `${cacheFile}.${process.pid}`;
    try {
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, cacheFile); // whole or absent, when several instances share dist/
    } catch {
      // dist/ is read-only here: every start compiles the bundle, as without a cache.
      rmSync(partial, { force: true });
    }
  },
});

const serverModule = new Module(bundle);
serverModule.filename = bundle;
(script.runInThisContext() as (...args: unknown[]) => void)(serverModule.exports, createRequire(bundle), serverModule, bundle, dir);
