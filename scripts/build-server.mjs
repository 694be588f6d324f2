// The server's build: src/main.ts and everything it imports at start-up, bundled by esbuild
// into dist/ as ES modules, one chunk per dynamic import. Loading ~1,000 separate module files
// was half of a restart (Node resolves, reads and links each one); a few chunks load in a
// fraction of that. Usage: node scripts/build-server.mjs
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

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

// A build replaces the previous one's chunks (dist/web is the dashboard's, built by Vite).
for (const entry of existsSync(outdir) ? readdirSync(outdir) : []) {
  if (entry !== 'web') rmSync(join(outdir, entry), { recursive: true, force: true });
}

const result = await esbuild.build({
  entryPoints: [join(root, 'src/main.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Not minified, so a stack trace's line reads as code; the maps lead back to src
  // (`node --enable-source-maps`, which start-up does not pay for by default).
  sourcemap: 'linked',
  metafile: true,
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS packages in the bundle call require() for Node's built-ins and the packages kept out.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [chooseBundled],
  logLevel: 'warning',
});

// Every import left out must be a production dependency (`npm ci --omit=dev` installs it) that
// resolves from dist/; otherwise it would only fail when that import first runs. This script
// and dist/ share the root node_modules, so resolving from here is resolving from there.
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const keptOut = new Set();
for (const output of Object.values(result.metafile.outputs)) {
  for (const imp of output.imports) if (imp.external && !isBuiltin(imp.path)) keptOut.add(imp.path);
}
const problems = [...keptOut].flatMap((specifier) => {
  if (!(packageOf(specifier) in dependencies)) return [`${specifier} (not a production dependency)`];
  try {
    import.meta.resolve(specifier);
    return [];
  } catch {
    return [`${specifier} (does not resolve)`];
  }
});
if (problems.length) throw new Error(`imports kept out of the bundle that would fail at run time: ${problems.join(', ')}`);
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
const packages = new Set([...keptOut].map(packageOf));
console.log(`server: dist/main.js and ${Object.keys(result.metafile.outputs).length - 1} more files, ${(bytes / 1e6).toFixed(1)} MB; ${packages.size} packages kept in node_modules`);
