import { createRequire } from 'node:module';
import type { JsonSchema } from './schema-arbitrary.js';

// ajv ships CommonJS; its 2020-12 class reads the JSON Schema dialect OpenAPI 3.1 uses.
const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default as typeof import('ajv/dist/2020.js').default;
const addFormats = require('ajv-formats').default as typeof import('ajv-formats').default;
type ErrorObject = import('ajv').ErrorObject;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** "GET /api/calls/{id}" */
  key: string;
  method: string;
  path: string;
  parameters: Parameter[];
  body?: { contentType: string; schema: JsonSchema; required: boolean };
  /** Security scheme names that authorize it (session, apiKey, admin, cron); empty when public. */
  security: string[];
  responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  /** The plan feature its plan gate requires (`x-plan-feature`), if any. */
  planFeature?: string;
  /** The role its role check requires (`x-role`: manager = owner or admin), if any. */
  role?: 'manager' | 'owner';
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, any>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head'];

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const content = op.requestBody?.content as Record<string, { schema: JsonSchema }> | undefined;
      const [contentType, media] = Object.entries(content ?? {})[0] ?? [];
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])],
        body: contentType && media ? { contentType, schema: media.schema, required: op.requestBody.required === true } : undefined,
        security: ((op.security ?? []) as Array<Record<string, string[]>>).flatMap((s) => Object.keys(s)),
        responses: op.responses ?? {},
        planFeature: op['x-plan-feature'],
        role: op['x-role'],
      });
    }
  }
  return ops;
}

/**
 * The schema with every object that declares properties closed (`additionalProperties: false`),
 * whatever the document says: the declared response schema is what keeps a password or key
 * hash out of an answer, so a 2xx body with any property it does not declare is a failure.
 * Maps (objects without `properties`, e.g. z.record) keep their open `additionalProperties`.
 */
export function closed(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, closed(property)]));
    out.additionalProperties = false;
  } else if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = closed(schema.additionalProperties);
  }
  if (schema.items) out.items = closed(schema.items);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) if (schema[key]) out[key] = schema[key].map(closed);
  return out;
}

/** Checks answers against the document: a 2xx body against its status's schema, objects closed. */
export function responseChecker() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const cache = new Map<JsonSchema, ReturnType<typeof ajv.compile>>();
  const compiled = (schema: JsonSchema) => {
    let v = cache.get(schema);
    if (!v) cache.set(schema, (v = ajv.compile(closed(schema))));
    return v;
  };

  /** The documented answer for a status: exact, then "2XX"-style, then default. */
  function documented(op: Operation, status: number) {
    return op.responses[String(status)] ?? op.responses[`${Math.floor(status / 100)}XX`] ?? op.responses.default;
  }

  /** Problems with a 2xx answer, empty when it matches the document. */
  return function check2xx(op: Operation, status: number, contentType: string | undefined, body: string): string[] {
    const doc = documented(op, status);
    if (!doc) return [`status ${status} is not documented`];
    if (!doc.content) return body.length === 0 ? [] : [`status ${status} is documented without a body, got ${body.length} bytes`];
    const type = (contentType ?? '').split(';')[0]!.trim();
    const media = doc.content[type];
    if (!media) return [`content-type ${type || '(none)'} is not documented for ${status} (documented: ${Object.keys(doc.content).join(', ')})`];
    if (type !== 'application/json' || !media.schema) return [];
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return ['body is not JSON'];
    }
    const validate = compiled(media.schema);
    if (validate(json)) return [];
    return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message}`);
  };
}
