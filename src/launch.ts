/**
 * `node dist/main.js`: runs the server's bundle (dist/server.cjs, built by
 * scripts/build-server.mjs) with V8's code cache. Node 20 caches compiled code only for scripts,
 * not ES modules, so the bundle is CommonJS and compiled here through vm.Script with the
 * bytecode the previous start left (dist/server-<bundle hash>.v8cache): a restart then skips
 * parsing and compiling the ~5 MB bundle and the functions start-up runs. The hash is of the
 * bundle this launcher was built with: dist/ is built and deployed whole.
 */
import { randomUUID } from 'node:crypto';
import { accessSync, constants, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { provideCodeCache } from './lib/code-cache.js';
import { keepTickObjectShape } from './lib/tick-shape.js';

// First, before start-up's garbage collections can clear the tick objects' maps.
keepTickObjectShape();

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

const writable = (path: string) => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

function runWithCodeCache() {
  const cachedData = readCache();
  // No importModuleDynamically: V8 drops it from a script compiled from a cache (Node 20), so
  // the bundle require()s every package it leaves out (scripts/build-server.mjs).
  // The bundle is ASCII (the build makes it so): read as latin1, the quickest way to V8's one-byte string.
  const source = readFileSync(bundle, 'latin1');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  const status = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  // Written only where it can be (the Docker image's dist/ is read-only: its build warms it).
  const willSave = status !== 'used' && writable(dir);
  // V8 drops the bytecode of functions that have not run for a while at its garbage
  // collections. A start that creates its database (initdb: seconds) would lose the modules'
  // top-level code before the cache is written, so until then nothing is dropped.
  if (willSave) setFlagsFromString('--no-flush-bytecode');
  provideCodeCache({
    status,
    save() {
      if (!willSave) return;
      setFlagsFromString('--flush-bytecode');
      const partial = `${cacheFile}.${randomUUID()}`; // not the pid: containers sharing dist/ are all pid 1
      try {
        writeFileSync(partial, script.createCachedData(), { flag: 'wx' });
        renameSync(partial, cacheFile); // whole or absent, when several instances share dist/
      } catch {
        rmSync(partial, { force: true });
      }
    },
  });
  const serverModule = new Module(bundle);
  serverModule.filename = bundle;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(serverModule.exports, serverModule.exports, createRequire(bundle), serverModule, bundle, dir);
}

// Node maps stack traces (--enable-source-maps) only for code its own loader read: then the
// bundle is loaded by require(), without the cache, and traces lead back to src.
if (process.sourceMapsEnabled) createRequire(import.meta.url)(bundle);
else runWithCodeCache();
