// The server's build: src/main.ts and everything it imports at start-up, bundled by esbuild
// into dist/ as ES modules, one chunk per dynamic import. Loading ~1,000 separate module files
// was half of a restart (Node resolves, reads and links each one); a few chunks load in a
// fraction of that. Usage: node scripts/build-server.mjs
import { createRequire } from 'node:module';
import { existsSync, readdirSync, rmSync } from 'node:fs';
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
      if (args.path.startsWith('node:')) return { external: true };
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
  sourcemap: 'linked',
  metafile: true,
  minifyWhitespace: true,
  minifySyntax: true,
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS packages in the bundle call require() for Node's built-ins and the packages kept out.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [chooseBundled],
  logLevel: 'warning',
});

// Every package left out must resolve from dist/ exactly as it did from src/: a nested copy
// (node_modules/x/node_modules/y) would not, and would only fail when that import first runs.
const requireFromDist = createRequire(join(outdir, 'main.js'));
const externals = new Set();
for (const output of Object.values(result.metafile.outputs)) {
  for (const imp of output.imports) if (imp.external && !imp.path.startsWith('node:')) externals.add(imp.path);
}
const unresolved = [...externals].filter((specifier) => {
  try {
    requireFromDist.resolve(specifier);
    return false;
  } catch (err) {
    return err.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
});
if (unresolved.length) throw new Error(`kept-out packages that do not resolve from dist/: ${unresolved.join(', ')}`);
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`server: dist/main.js and ${Object.keys(result.metafile.outputs).length - 1} more files, ${(bytes / 1e6).toFixed(1)} MB, ${externals.size} packages kept in node_modules`);
