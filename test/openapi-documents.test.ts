import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { operationsOf, type OpenApiDocument } from './fuzz/openapi.js';
import { buildTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const operator = async () =>
  (await t.app.inject({ url: '/api/openapi.operator.json', headers: { 'x-admin-key': t.config.adminApiKey } })).json() as OpenApiDocument & {
    components: { securitySchemes: Record<string, unknown> };
  };
const operatorKeys = (doc: OpenApiDocument) =>
  operationsOf(doc)
    .filter((op) => op.security.includes('admin') || op.security.includes('cron'))
    .map((op) => op.key);

describe('the public and the operator OpenAPI documents', () => {
  it('/api/openapi.json and the /docs page show no admin or cron operation, nor their credentials', async () => {
    for (const url of ['/api/openapi.json', '/docs/json']) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBe(200);
      const doc = res.json();
      expect(operatorKeys(doc), url).toEqual([]);
      expect(Object.keys(doc.paths).filter((path) => path.startsWith('/api/admin') || path.startsWith('/api/cron')), url).toEqual([]);
      expect(Object.keys(doc.components.securitySchemes), url).not.toContain('admin');
      expect(Object.keys(doc.components.securitySchemes), url).not.toContain('cron');
      expect(doc.paths['/api/calls'].get, url).toBeDefined();
    }
  });

  it('the operator document keeps them, and only the admin key opens it', async () => {
    expect((await t.app.inject('/api/openapi.operator.json')).statusCode).toBe(401);
    const wrong = await t.app.inject({ url: '/api/openapi.operator.json', headers: { 'x-admin-key': 'guess' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('UNAUTHORIZED');
    const doc = await operator();
    const keys = operatorKeys(doc);
    expect(keys).toContain('GET /api/admin/organizations');
    expect(keys.some((key) => key.startsWith('GET /api/cron/'))).toBe(true);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['admin', 'cron']));
    // Everything public is in it too.
    const publicKeys = operationsOf((await t.app.inject('/api/openapi.json')).json()).map((op) => op.key);
    expect(operationsOf(doc).map((op) => op.key)).toEqual(expect.arrayContaining(publicKeys));
    expect(operationsOf(doc).length).toBe(publicKeys.length + keys.length);
  });

  it("publishes each route's role check and plan gate (x-role, x-plan-feature)", async () => {
    const byKey = new Map(operationsOf(await operator()).map((op) => [op.key, op]));
    expect(byKey.get('POST /api/api-keys')).toMatchObject({ role: 'owner' });
    expect(byKey.get('POST /api/members/invite')).toMatchObject({ role: 'manager' });
    expect(byKey.get('GET /api/analytics')).toMatchObject({ planFeature: 'analytics' });
    const ungated = byKey.get('GET /api/assistant-name')!;
    expect([ungated.role, ungated.planFeature]).toEqual([undefined, undefined]);
  });

  it('describes every parameter of every operation', async () => {
    const doc = await operator();
    const undescribed: string[] = [];
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) {
        for (const parameter of (op as { parameters?: Array<{ name: string; in: string; description?: string }> }).parameters ?? []) {
          if (!parameter.description?.trim()) undescribed.push(`${parameter.in} ${parameter.name}`);
        }
      }
    }
    expect(undescribed).toEqual([]);
    expect(doc.paths['/api/calls/{id}']!.get.parameters[0].description).toBe('Id of the call');
    expect(doc.paths['/api/api-keys/{id}']!.delete.parameters[0].description).toBe('Id of the API key');
  });

  it('gives every request body of the public document an example that validates against its own schema', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: object; example?: unknown }> } }>> };
    // ajv-formats is CommonJS: its function is the default export's default under NodeNext.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (formats as unknown as typeof formats.default)(ajv);
    const missing: string[] = [];
    const invalid: string[] = [];
    let bodies = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
          bodies += 1;
          const where = `${method.toUpperCase()} ${path} (${type})`;
          if (media.example === undefined) {
            missing.push(where);
            continue;
          }
          const validate = ajv.compile(media.schema);
          if (!validate(media.example)) invalid.push(`${where}: ${ajv.errorsText(validate.errors)}`);
        }
      }
    }
    expect(bodies).toBeGreaterThan(50);
    expect(missing).toEqual([]);
    expect(invalid).toEqual([]);
    // Examples read like the business using the product, and a schema's own example wins.
    expect(doc.paths['/api/kb']!.put!.requestBody!.content['application/json']!.example).toEqual({
      sectionKey: 'Price list',
      text: expect.stringContaining('Cleaning'),
    });
    expect(doc.paths['/api/calendar/connect']!.post!.requestBody!.content['application/json']!.example).toMatchObject({ apiKey: 'cal_live_0123456789abcdef' });
  });
});
