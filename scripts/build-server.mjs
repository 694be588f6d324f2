// The server's build: src/main.ts and everything it imports at start-up, bundled by esbuild
// into one CommonJS file, dist/server.cjs, started by a small launcher, dist/main.js
// (src/launch.ts), that compiles it with V8's code cache. Loading ~1,000 separate module files
// was half of a restart (Node resolves, reads and links each one); compiling the one bundle
// from the cache the previous start left is a fraction of that. Node 20 caches compiled code
// for scripts only, not for ES modules: hence CommonJS, though src is ESM.
// Usage: node scripts/build-server.mjs
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { lazyRouterPrefixes } from './lazy-router-prefixes.mjs';

const root = resolve(import.meta.dirname, '..');
const outdir = join(root, 'dist');

/**
 * Packages bundled with our code: pure JavaScript, loaded by every start. The rest stay in
 * node_modules and load as before: database drivers, provider SDKs and parsers loaded on first
 * use, and packages that read their own files at run time (PGlite's WASM, argon2's native
 * addon, pino's transport workers).
 */
const BUNDLED = new Set([
  '@fastify/formbody',
  '@fastify/multipart',
  '@fastify/rate-limit',
  '@fastify/static',
  '@fastify/swagger',
  '@fastify/swagger-ui',
  'cookie',
  'croner',
  'drizzle-orm',
  'fast-json-stringify',
  'fastify',
  'fastify-plugin',
  'fastify-type-provider-zod',
  'ipaddr.js',
  'libphonenumber-js',
  'papaparse',
  'prom-client',
  'zod',
]);
/** Never bundled, even when a bundled package imports them (see above). */
const KEPT = new Set(['@electric-sql/pglite', 'pg', 'pino', 'ioredis']);

const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Bare imports from our code are external unless BUNDLED; a bundled package's own imports are bundled unless KEPT. */
const chooseBundled = {
  name: 'choose-bundled',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (isBuiltin(args.path)) return { external: true };
      const pkg = packageOf(args.path);
      const fromPackage = args.importer.includes('/node_modules/');
      if (KEPT.has(pkg) || (!fromPackage && !BUNDLED.has(pkg))) return { path: args.path, external: true };
      return undefined;
    });
  },
};

// A build replaces the previous one's files, code caches too (dist/web is the dashboard's, built by Vite).
for (const entry of existsSync(outdir) ? readdirSync(outdir) : []) {
  if (entry !== 'web') rmSync(join(outdir, entry), { recursive: true, force: true });
}

const server = await esbuild.build({
  entryPoints: [join(root, 'src/main.ts')],
  outfile: join(outdir, 'server.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Not minified, so a stack trace's line reads as code; the map leads back to src
  // (`node --enable-source-maps`, which loads the bundle without the code cache: src/launch.ts).
  sourcemap: 'linked',
  metafile: true,
  // The one piece of ESM a CommonJS file lacks: modules that find files from their own place.
  // The banner comes before esbuild's own "use strict", so it says it first: the code stays strict.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "'use strict'; const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  // import() of a package left out becomes require(): V8 loses a script's dynamic-import callback
  // when it is compiled from a code cache (Node 20), so the bundle must not call import() at all.
  supported: { 'dynamic-import': false },
  plugins: [chooseBundled, lazyRouterPrefixes],
  logLevel: 'warning',
});
// A warning here (another use of import.meta, say) would be a bug at run time: stop the build.
if (server.warnings.length) throw new Error(`the server's bundle has ${server.warnings.length} warning(s), see above`);

// V8 holds a source with any non-ASCII character as a two-byte string: twice the memory, and
// ~45 ms more at every start to read and compile the bundle. esbuild escapes non-ASCII in code
// (its default charset) but keeps comments as written, so what is left is in comments and
// becomes '?', one for one (the source map's columns hold). Checked: with the comments dropped,
// the code before and after is the same.
const bundlePath = join(outdir, 'server.cjs');
const written = readFileSync(bundlePath, 'utf8');
const ascii = written.replace(/[^\x00-\x7f]/g, '?');
if (ascii !== written) {
  const code = async (source) => (await esbuild.transform(source, { loader: 'js', minifyWhitespace: true, legalComments: 'none' })).code;
  const [before, after] = [await code(written), await code(ascii)];
  if (before !== after) {
    let at = 0;
    while (before[at] === after[at]) at++;
    throw new Error(`the bundle has a non-ASCII character outside a comment (write it as a \\u escape): ${before.slice(at - 60, at + 20)}`);
  }
  writeFileSync(bundlePath, ascii);
}
const bundleHash = createHash('sha256').update(ascii).digest('hex').slice(0, 16);
await esbuild.build({
  entryPoints: [join(root, 'src/launch.ts')],
  outfile: join(outdir, 'main.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  define: { SERVER_BUNDLE_HASH: JSON.stringify(bundleHash) },
  logLevel: 'warning',
});

// Every import left out must be a production dependency (`npm ci --omit=dev` installs it) that
// resolves from dist/ (the bundle require()s each one); otherwise it would only fail when that
// import first runs. The list is kept in dist/ for the built-server test, which loads each one.
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const requireFromDist = createRequire(join(outdir, 'server.cjs'));
const keptOut = new Set();
for (const output of Object.values(server.metafile.outputs)) {
  for (const imp of output.imports) {
    if (imp.kind === 'dynamic-import') throw new Error(`the bundle calls import(${imp.path}), which fails in code compiled from a cache`);
    if (imp.external && !isBuiltin(imp.path)) keptOut.add(imp.path);
  }
}
const problems = [...keptOut].flatMap((specifier) => {
  if (!(packageOf(specifier) in dependencies)) return [`${specifier} (not a production dependency)`];
  try {
    requireFromDist.resolve(specifier);
    return [];
  } catch {
    return [`${specifier} (does not resolve)`];
  }
});
if (problems.length) throw new Error(`imports kept out of the bundle that would fail at run time: ${problems.join(', ')}`);
writeFileSync(join(outdir, 'server-externals.json'), `${JSON.stringify([...keptOut], null, 2)}\n`);
const packages = new Set([...keptOut].map(packageOf));
console.log(`server: dist/server.cjs ${(ascii.length / 1e6).toFixed(1)} MB (code cache key ${bundleHash}), launched by dist/main.js; ${packages.size} packages kept in node_modules`);
