import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';

// ajv-formats is CommonJS: its function is the default export's default under NodeNext.
const addFormats = formats as unknown as typeof formats.default;
import { contractTap, type TapEntry } from '../../src/sandbox/tap.js';

/**
 * Loading the trimmed provider contracts (scripts/contracts-update.ts writes them) and turning
 * their OpenAPI 3.0 schemas into JSON Schema ajv checks: `nullable`, discriminators and `$ref`.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CANDIDATES = [process.env.CONTRACTS_DIR, resolve(repoRoot, '../shared/contracts'), resolve(repoRoot, 'test/contracts/vendor')];

/** The first folder holding `${name}.json`, or undefined (the contract tests then skip). */
export function loadContract<T = OpenApiContract>(name: string): T | undefined {
  const dir = CANDIDATES.find((d): d is string => Boolean(d) && existsSync(join(d!, `${name}.json`)));
  if (!dir) {
    console.warn(`contracts: no ${name}.json in $CONTRACTS_DIR, ../shared/contracts or test/contracts/vendor — run npm run contracts:update; ${name} contract tests skipped`);
    return undefined;
  }
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as T;
}

export type Source = { repo: string; commit: string; files: string[]; licence: string };
export type OpenApiContract = {
  source: Source;
  operations: Record<string, { spec: string; requestType: string | null; request: Schema | null; responses: Record<string, Schema | null> }>;
  components: { schemas: Record<string, Schema> };
};
type Schema = Record<string, unknown>;

export type Mode = {
  /** Requests: an object's undeclared properties are refused (VAPI's API and Twilio's do). */
  closed?: boolean;
  /** Twilio serializes every declared field of a resource (null when unset): all are required. */
  allPresent?: boolean;
};

const REF = '#/components/schemas/';
const rebaseRef = (b: Schema) => b;

/** One OpenAPI 3.0 schema node as JSON Schema (draft 7, as ajv reads it). */
function convert(node: unknown, schemas: Record<string, Schema>, mode: Mode): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, schemas, mode));
  if (!node || typeof node !== 'object') return node;
  const { nullable, discriminator, oneOf, example: _e, ...rest } = node as Schema & { discriminator?: { propertyName: string; mapping?: Record<string, string> } };
  let out: Schema = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, k === 'properties' ? mapValues(v as Schema, (p) => convert(p, schemas, mode)) : convert(v, schemas, mode)]));
  if (Array.isArray(out.enum) && out.enum.length === 0) delete out.enum;
  // VAPI's generator writes patterns as JS literals ("/^…$/"): the slashes are not part of the pattern.
  if (typeof out.pattern === 'string' && /^\/.*\/$/.test(out.pattern)) out.pattern = out.pattern.slice(1, -1);
  if (oneOf && discriminator) out = { ...out, ...fromDiscriminator(convert(oneOf, schemas, mode) as Schema[], discriminator, schemas) };
  // Without a discriminator, these specs' oneOf branches overlap (every field optional): any one must match.
  else if (oneOf) out.anyOf = convert(oneOf, schemas, mode);
  if (out.properties && out.type === 'object' && !out.allOf && !out.anyOf) {
    if (mode.closed && out.additionalProperties === undefined) out.additionalProperties = false;
    if (mode.allPresent) out.required = Object.keys(out.properties as Schema);
  }
  if (nullable === true) out = { anyOf: [out, { type: 'null' }] };
  return out;
}

const mapValues = (o: Schema, f: (v: unknown) => unknown) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/** A discriminated oneOf as "the property names the branch, and that branch must match". */
function fromDiscriminator(branches: Schema[], d: { propertyName: string; mapping?: Record<string, string> }, schemas: Record<string, Schema>): Schema {
  const prop = d.propertyName;
  const byValue: Array<[string, string]> = d.mapping
    ? Object.entries(d.mapping)
    : branches.flatMap((b) => {
        const ref = (b.$ref as string | undefined) ?? '';
        const values = ((schemas[ref.slice(REF.length)]?.properties as Record<string, { enum?: string[] }> | undefined)?.[prop]?.enum ?? []) as string[];
        return values.map((v) => [v, ref] as [string, string]);
      });
  // A branch that does not name its value cannot be picked by it: fall back to "any branch".
  if (new Set(byValue.map(([, ref]) => ref)).size < branches.length) return { anyOf: branches.map(rebaseRef) };
  return {
    type: 'object',
    required: [prop],
    properties: { [prop]: { enum: byValue.map(([v]) => v) } },
    allOf: byValue.map(([value, ref]) => ({ if: { properties: { [prop]: { const: value } }, required: [prop] }, then: { $ref: ref } })),
  };
}

/** Validators over one contract's schemas, by schema name or operation. */
export function validators(contract: OpenApiContract, mode: Mode = {}) {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: mode.closed ? 'array' : false, validateFormats: true });
  addFormats(ajv);
  const schemas = contract.components.schemas;
  ajv.addSchema({ $id: 'https://contracts.test/contract.json', components: { schemas: mapValues(schemas, (s) => convert(s, schemas, mode)) } });
  const cache = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: unknown) => {
    if (!cache.has(key)) cache.set(key, ajv.compile({ $id: `https://contracts.test/root/${cache.size}.json`, ...(convert(rebase(schema), schemas, mode) as Schema) }));
    return cache.get(key)!;
  };
  return {
    schema: (name: string) => compile(`#${name}`, { $ref: `${REF}${name}` }),
    request: (op: string) => compile(`req ${op}`, contract.operations[op]?.request ?? {}),
    response: (op: string, status: number) => {
      const responses = contract.operations[op]?.responses ?? {};
      return compile(`res ${op} ${status}`, responses[String(status)] ?? Object.values(responses)[0] ?? {});
    },
  };
}

/** `#/components/…` refs of a root schema point into the shared `contract` document. */
const rebase = (node: unknown): unknown =>
  Array.isArray(node)
    ? node.map(rebase)
    : node && typeof node === 'object'
      ? mapValues(node as Schema, (v) => (typeof v === 'string' && v.startsWith(REF) ? `https://contracts.test/contract.json${v}` : rebase(v)))
      : node;

/** ajv's errors, one line each, for an assertion message. */
export const explain = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).slice(0, 60).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);

/** The emulator route `/sandbox/vapi/call/:id` in the spec's form `/call/{}`, for matching. */
export const shape = (path: string) => path.replace(/\{[^}]+\}|:[A-Za-z_]+/g, '{}');

/** Starts recording emulator traffic; returns what was recorded so far, on demand. */
export function tapOn() {
  contractTap.enabled = true;
  contractTap.entries = [];
  return {
    api: (service: string) => contractTap.entries.filter((e): e is Extract<TapEntry, { kind: 'api' }> => e.kind === 'api' && e.service === service),
    messages: (service: string) => contractTap.entries.filter((e): e is Extract<TapEntry, { kind: 'message' }> => e.kind === 'message' && e.service === service),
    off: () => {
      contractTap.enabled = false;
    },
  };
}

/** A mismatch the provider's own spec gets wrong, with where that is reported. */
export type KnownError = { /** '*' for every operation */ operation: string; path: RegExp; reason: string; link: string };

/**
 * Every recorded API exchange of one emulator checked against the contract: the request body
 * against the operation's request schema (closed: undeclared properties fail), the answer
 * against its response schema. Returns the mismatches (known spec errors removed) and the
 * operations seen.
 */
export function checkExchanges(
  contract: OpenApiContract,
  entries: Array<Extract<TapEntry, { kind: 'api' }>>,
  opts: { prefix: RegExp; requests: ReturnType<typeof validators>; responses: ReturnType<typeof validators>; known?: KnownError[] },
) {
  const byShape = new Map(Object.keys(contract.operations).map((op) => [opShape(op), op]));
  const mismatches: string[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const op = byShape.get(`${e.method} ${shape(e.route.replace(opts.prefix, ''))}`);
    if (!op) {
      mismatches.push(`${e.method} ${e.route}: not a listed operation`);
      continue;
    }
    if (e.status >= 300) continue;
    seen.add(op);
    const report = (what: string, errors: ErrorObject[] | null | undefined) => {
      for (const line of explain(errors)) {
        const known = opts.known?.some((k) => (k.operation === '*' || k.operation === op) && k.path.test(`${what} ${line}`));
        if (!known) mismatches.push(`${op} ${what}: ${line}`);
      }
    };
    // Multipart uploads arrive as streams, not a body to check.
    const { request, requestType } = contract.operations[op]!;
    if (request && requestType !== 'multipart/form-data' && e.request && typeof e.request === 'object') {
      const v = opts.requests.request(op);
      if (!v(e.request)) report('request', v.errors);
    }
    const v = opts.responses.response(op, e.status);
    if (!v(e.response)) report('response', v.errors);
  }
  return { mismatches, seen };
}

const opShape = (op: string) => {
  const [method, path = ''] = op.split(' ');
  return `${method} ${shape(path)}`;
};

type StripeField = { optional: boolean; nullable: boolean; type: string };
export type StripeContract = {
  source: Source & { types: { package: string; openapi: string } };
  objects: Record<string, { types: string; fields: Record<string, StripeField>; fixture: unknown }>;
  operations: Record<string, { object: string; params: { types: string; fields: Record<string, StripeField> } | null }>;
};

/** Lists inside objects whose entries are objects of their own (subscription items, invoice lines). */
const STRIPE_NESTED: Record<string, Record<string, string>> = { subscription: { items: 'subscription_item' }, invoice: { lines: 'line_item' } };

/**
 * Stripe objects as JSON Schema from the stripe package's types: every non-optional field
 * present, null only where the type allows it; request parameters closed at the top level.
 */
export function stripeValidators(contract: StripeContract) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const field = (f: StripeField) => {
    const base = f.type === 'unknown' ? { not: { type: 'null' } } : { type: f.type };
    return f.nullable ? { anyOf: [base, { type: 'null' }] } : base;
  };
  const definitions = Object.fromEntries(
    Object.entries(contract.objects).map(([name, o]) => {
    const nested = STRIPE_NESTED[name] ?? {};
    return [name, {
      type: 'object',
      required: Object.entries(o.fields).filter(([, f]) => !f.optional).map(([k]) => k),
      properties: {
        ...mapValues(o.fields, (f) => field(f as StripeField)),
        ...Object.fromEntries(Object.entries(nested).map(([k, of]) => [k, { type: 'object', required: ['data'], properties: { data: { type: 'array', items: { $ref: `#/definitions/${of}` } } } }])),
      },
    }];
    }),
  );
  ajv.addSchema({ $id: 'https://contracts.test/stripe.json', definitions });
  const object = (name: string) =>
    name.startsWith('list:')
      ? ajv.compile({ type: 'object', required: ['object', 'data', 'has_more', 'url'], properties: { object: { const: 'list' }, data: { type: 'array', items: { $ref: `https://contracts.test/stripe.json#/definitions/${name.slice(5)}` } } } })
      : ajv.getSchema(`https://contracts.test/stripe.json#/definitions/${name}`)!;
  return {
    object,
    params: (op: string) => {
      const params = contract.operations[op]?.params;
      return ajv.compile(params ? { type: 'object', properties: mapValues(params.fields, () => true), additionalProperties: false } : {});
    },
  };
}
