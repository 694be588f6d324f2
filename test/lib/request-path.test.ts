import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { responseSerializerCompiler } from '../../src/lib/response-serializer.js';
import { lazyChildLoggerFactory } from '../../src/lib/lazy-logger.js';

/** A Fastify app with our request-path pieces, logging JSON lines into `lines`. */
function appWith(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const app = Fastify({ logger: { level, stream }, childLoggerFactory: lazyChildLoggerFactory });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  return { app, lines };
}

describe('response serializer (zod schema → fast-json-stringify)', () => {
  it('writes only documented properties, with nested objects, nullables, arrays and unions', async () => {
    const { app } = appWith('warn');
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
    const { app } = appWith('fatal');
    app.get('/x', { schema: { response: { 200: z.object({ name: z.string() }) } }, handler: async () => ({}) as { name: string } });
    expect((await app.inject('/x')).statusCode).toBe(500);
  });
});

describe('lazy request logger', () => {
  it('writes request lines with the request id when the level is on', async () => {
    const { app, lines } = appWith('info');
    app.get('/x', async (request) => {
      request.log.info({ step: 1 }, 'inside');
      return { ok: true };
    });
    await app.inject('/x');
    const inside = lines.find((l) => l.msg === 'inside');
    expect(inside).toMatchObject({ step: 1, reqId: expect.any(String) });
    expect(lines.filter((l) => l.reqId === inside!.reqId).map((l) => l.msg)).toEqual(['incoming request', 'inside', 'request completed']);
  });

  it('writes nothing below the level, and still writes what is above it', async () => {
    const { app, lines } = appWith('warn');
    app.get('/x', async (request) => {
      request.log.info('quiet');
      request.log.warn({ why: 'test' }, 'loud');
      return { ok: true };
    });
    await app.inject('/x');
    expect(lines.map((l) => l.msg)).toEqual(['loud']);
    expect(lines[0]).toMatchObject({ why: 'test', reqId: expect.any(String), level: 40 });
  });
});
