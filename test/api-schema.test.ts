import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '../scripts/openapi-document.js';
import { buildTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('the dashboard types come from the document the server answers', () => {
  it('the in-process document is /api/openapi.json (but for the server URL), and types the pages’ routes', async () => {
    const served = (await t.app.inject('/api/openapi.json')).json();
    const built = await openApiDocument();
    expect({ ...built, servers: [] }).toEqual({ ...served, servers: [] });
    const types = astToString(await openapiTS(built as Parameters<typeof openapiTS>[0]));
    for (const path of ['/api/usage', '/api/calls/{id}', '/api/analytics', '/api/digest', '/api/billing/history', '/api/subscription/status']) {
      expect(types, path).toContain(`"${path}": {`);
    }
    expect(types).not.toContain('"/api/admin/');
  });
});
