import Fastify from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../src/app.js';
import { responseSerializerCompiler } from '../../src/lib/response-serializer.js';
import { freshDatabase, testConfig } from '../helpers/app.js';

/** A Fastify app with our validator and response serializer. */
function appWith() {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  return app;
}

describe('response serializer (zod schema → fast-json-stringify)', () => {
  it('writes only documented properties, with nested objects, nullables, arrays and unions', async () => {
    const app = appWith();
    const Item = z.object({ id: z.string(), at: z.string().nullable() });
    app.get('/x', {
      schema: {
        response: {
          200: z.object({ name: z.string(), count: z.number().int(), items: z.array(Item), kind: z.union([z.literal('a'), z.literal('b')]) }),
        },
      },
      handler: async () => ({
        name: 'n',
        count: 2,
        passwordHash: 'must not leak',
        items: [{ id: '1', at: null, secret: 'nor this' }],
        kind: 'b' as const,
      }),
    });
    const res = await app.inject('/x');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'n', count: 2, items: [{ id: '1', at: null }], kind: 'b' });
    expect(res.body).not.toContain('leak');
    expect(res.body).not.toContain('secret');
  });

  it('compiles schemas JSON Schema cannot express (a Date) as "any value" instead of failing the route', async () => {
    const app = appWith();
    app.get('/x', { schema: { response: { 200: z.object({ at: z.date(), n: z.number() }) } }, handler: async () => ({ at: new Date(0), n: 1, extra: 'no' }) });
    const res = await app.inject('/x');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ at: '1970-01-01T00:00:00.000Z', n: 1 });
  });

  it('fails the response (500) when a required property is missing, rather than sending a partial body', async () => {
    const app = appWith();
    app.get('/x', { schema: { response: { 200: z.object({ name: z.string() }) } }, handler: async () => ({}) as { name: string } });
    expect((await app.inject('/x')).statusCode).toBe(500);
  });

  it('is the serializer of the real app: a route never sends a property its schema does not declare', async () => {
    const database = await freshDatabase();
    const app = await buildApp(testConfig(), { database, logger: false });
    try {
      app.get('/probe/user', {
        schema: { response: { 200: z.object({ user: z.object({ id: z.string(), email: z.string() }) }) } },
        // What a careless handler returns: the whole row.
        handler: async () => ({ user: { id: 'u1', email: 'jane@example.com', passwordHash: '$argon2id$v=19$leak' }, keyHash: 'deadbeef' }),
      });
      const res = await app.inject('/probe/user');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ user: { id: 'u1', email: 'jane@example.com' } });
      expect(res.body).not.toMatch(/passwordHash|argon2|keyHash|deadbeef/);
    } finally {
      await app.close();
      await database.close();
    }
  });
});
