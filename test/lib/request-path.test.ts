import Fastify from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { responseSerializerCompiler } from '../../src/lib/response-serializer.js';

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

  it('fails the response (500) when a required property is missing, rather than sending a partial body', async () => {
    const app = appWith();
    app.get('/x', { schema: { response: { 200: z.object({ name: z.string() }) } }, handler: async () => ({}) as { name: string } });
    expect((await app.inject('/x')).statusCode).toBe(500);
  });
});
