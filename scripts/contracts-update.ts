/**
 * Regenerates the trimmed provider contracts the contract tests load (test/contracts/*.test.ts):
 * Twilio's and VAPI's OpenAPI documents cut down to the operations in test/contracts/operations.ts
 * and the schemas they reach, and Stripe's object and parameter field lists. Reads local git
 * mirrors of the providers' repositories (never committed); writes JSON to $CONTRACTS_DIR, else
 * ../shared/contracts beside the repository.
 *
 *   npm run contracts:update
 *   TWILIO_OAI_GIT, VAPI_OAI_GIT, STRIPE_OPENAPI_GIT: git directories of the mirrors
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { STRIPE_OBJECTS, STRIPE_OPERATIONS, TWILIO_OPERATIONS, VAPI_OPERATIONS, VAPI_SCHEMAS, type Operation } from '../test/contracts/operations.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.env.CONTRACTS_DIR ?? resolve(root, '../shared/contracts');
const mirror = (env: string, name: string) => process.env[env] ?? `/work/.mirror/${name}/repo`;

type Json = Record<string, unknown>;
type Source = { repo: string; commit: string; date: string; files: string[]; licence: string };

function git(gitDir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

function source(gitDir: string, repo: string, files: string[]): Source {
  const [commit = '', date = ''] = git(gitDir, 'log', '-1', '--format=%H %cI', 'HEAD').trim().split(' ');
  const licence = git(gitDir, 'show', 'HEAD:LICENSE').split('\n').find((l) => l.trim())?.trim() ?? 'unknown';
  return { repo, commit, date, files, licence };
}

/** Every `#/components/schemas/X` reached from `start`, following refs. */
function reachable(start: unknown, schemas: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
        const name = v.slice('#/components/schemas/'.length);
        if (!seen.has(name)) {
          seen.add(name);
          walk(schemas[name]);
        }
      } else walk(v);
    }
  };
  walk(start);
  return seen;
}

const jsonBody = (content: unknown) => {
  const c = (content ?? {}) as Record<string, { schema?: unknown }>;
  return (c['application/json'] ?? c['application/x-www-form-urlencoded'] ?? c['multipart/form-data'])?.schema;
};

/** The operations' request and success-response schemas, and every component schema they reach. */
function trimOpenApi(docs: Record<string, Json>, operations: Operation[], extraSchemas: string[] = []) {
  const ops: Record<string, Json> = {};
  const schemas: Record<string, unknown> = {};
  for (const op of operations) {
    const doc = docs[op.spec]!;
    const all = (doc.components as { schemas: Record<string, unknown> }).schemas;
    const raw = (doc.paths as Record<string, Record<string, Json>>)[op.path]?.[op.method];
    if (!raw) throw new Error(`${op.spec}: no ${op.method.toUpperCase()} ${op.path}`);
    const responses = Object.fromEntries(
      Object.entries(raw.responses as Record<string, { content?: unknown }>)
        .filter(([status]) => status.startsWith('2'))
        .map(([status, r]) => [status, jsonBody(r.content) ?? null]),
    );
    const content = (raw.requestBody as { content?: Record<string, unknown> } | undefined)?.content;
    const request = jsonBody(content) ?? null;
    const entry = { spec: op.spec, operationId: raw.operationId, requestType: Object.keys(content ?? {})[0] ?? null, request, responses };
    ops[`${op.method.toUpperCase()} ${op.path}`] = entry;
    for (const name of reachable(entry, all)) schemas[name] = all[name];
  }
  for (const spec of new Set(operations.map((o) => o.spec))) {
    const all = (docs[spec]!.components as { schemas: Record<string, unknown> }).schemas;
    for (const name of extraSchemas) {
      if (!all[name]) continue;
      schemas[name] = all[name];
      for (const dep of reachable(all[name], all)) schemas[dep] = all[dep];
    }
  }
  return { operations: ops, components: { schemas } };
}

function twilio() {
  const gitDir = mirror('TWILIO_OAI_GIT', 'twilio+twilio-oai');
  const specs = [...new Set(TWILIO_OPERATIONS.map((o) => o.spec))];
  const files = specs.map((s) => `spec/json/${s}.json`);
  const docs = Object.fromEntries(specs.map((s, i) => [s, JSON.parse(git(gitDir, 'show', `HEAD:${files[i]}`)) as Json]));
  const versions = Object.fromEntries(specs.map((s) => [s, (docs[s]!.info as { version: string }).version]));
  return { source: { ...source(gitDir, 'twilio/twilio-oai', files), versions }, ...trimOpenApi(docs, TWILIO_OPERATIONS) };
}

function vapi() {
  const gitDir = mirror('VAPI_OAI_GIT', 'tryAGI+Vapi');
  const file = 'src/libs/Vapi/openapi.yaml';
  const doc = parseYaml(git(gitDir, 'show', `HEAD:${file}`), { maxAliasCount: -1 }) as Json;
  const version = (doc.info as { version: string }).version;
  return { source: { ...source(gitDir, 'tryAGI/Vapi', [file]), versions: { vapi: version } }, ...trimOpenApi({ vapi: doc }, VAPI_OPERATIONS, VAPI_SCHEMAS) };
}

/** Fields of one interface of the stripe package's types: name → { optional, nullable, type }. */
function stripeFields(program: Map<string, ts.SourceFile>, dir: string, file: string, name: string) {
  const path = join(dir, file);
  let sf = program.get(path);
  if (!sf) program.set(path, (sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true)));
  let found: ts.InterfaceDeclaration | undefined;
  const visit = (node: ts.Node) => {
    if (found) return;
    if (ts.isInterfaceDeclaration(node) && node.name.text === name) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(sf);
  if (!found) throw new Error(`stripe types: no ${name} in ${file}`);
  const fields: Record<string, { optional: boolean; nullable: boolean; type: string }> = {};
  const paginated = found.heritageClauses?.some((h) => h.getText(sf).includes('PaginationParams'));
  if (paginated) for (const p of ['limit', 'starting_after', 'ending_before']) fields[p] = { optional: true, nullable: false, type: 'unknown' };
  for (const m of found.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const text = m.type.getText(sf);
    const prim = /^(string|number|boolean)(\s*\|\s*null)?$/.exec(text)?.[1] ?? (/^'[^']*'(\s*\|\s*'[^']*')*(\s*\|\s*null)?$/.test(text) ? 'string' : 'unknown');
    fields[m.name.getText(sf).replace(/^'|'$/g, '')] = { optional: Boolean(m.questionToken), nullable: /\|\s*null\b/.test(text), type: prim };
  }
  return fields;
}

function stripe() {
  const gitDir = mirror('STRIPE_OPENAPI_GIT', 'stripe+openapi');
  // The package's exports hide package.json: find its folder from its main entry.
  const require = createRequire(import.meta.url);
  let pkgDir = dirname(require.resolve('stripe'));
  while (!existsSync(join(pkgDir, 'OPENAPI_VERSION'))) pkgDir = dirname(pkgDir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const typesDir = join(pkgDir, 'cjs/resources');
  const files = new Map<string, ts.SourceFile>();
  const fixtures = JSON.parse(git(gitDir, 'show', 'HEAD:openapi/fixtures3.json')) as { resources: Record<string, unknown> };
  const objects = Object.fromEntries(
    Object.entries(STRIPE_OBJECTS).map(([object, [file, iface]]) => [
      object,
      { types: `${file}#${iface}`, fields: stripeFields(files, typesDir, file, iface), fixture: fixtures.resources[object] ?? null },
    ]),
  );
  const operations = Object.fromEntries(
    STRIPE_OPERATIONS.map((op) => [
      `${op.method.toUpperCase()} ${op.path}`,
      { object: op.object, params: op.params ? { types: op.params.join('#'), fields: stripeFields(files, typesDir, ...op.params) } : null },
    ]),
  );
  return {
    source: {
      ...source(gitDir, 'stripe/openapi', ['openapi/fixtures3.json']),
      types: { package: `stripe@${pkg.version}`, openapi: readFileSync(join(pkgDir, 'OPENAPI_VERSION'), 'utf8').trim(), licence: 'MIT' },
    },
    objects,
    operations,
  };
}

mkdirSync(outDir, { recursive: true });
const failures: string[] = [];
for (const [name, build] of Object.entries({ twilio, vapi, stripe })) {
  try {
    const contract = build();
    writeFileSync(join(outDir, `${name}.json`), JSON.stringify(contract, null, 1) + '\n');
    console.log(`contracts: ${name} → ${join(outDir, `${name}.json`)} (${contract.source.repo}@${contract.source.commit.slice(0, 12)})`);
  } catch (err) {
    failures.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
  }
}
if (failures.length) {
  console.error(`contracts: not updated — ${failures.join('; ')}`);
  process.exit(1);
}
