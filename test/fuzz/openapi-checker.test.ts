import { describe, expect, it } from 'vitest';
import { responseChecker, type Operation } from './openapi.js';
import type { JsonSchema } from './schema-arbitrary.js';

/** An operation documenting one JSON 200 answer. */
const answering = (schema: JsonSchema): Operation => ({
  key: 'GET /x',
  method: 'GET',
  path: '/x',
  parameters: [],
  security: [],
  responses: { 200: { content: { 'application/json': { schema } } } },
});
const check = responseChecker();
const problems = (schema: JsonSchema, body: unknown) => check(answering(schema), 200, 'application/json', JSON.stringify(body));

const User = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } satisfies JsonSchema;

describe("the fuzz suite's 2xx check", () => {
  it('fails a body with a property its schema does not declare, even where the document leaves objects open', () => {
    expect(problems(User, { id: 'u1' })).toEqual([]);
    expect(problems(User, { id: 'u1', passwordHash: '$argon2id$…' }).join()).toMatch(/additional properties/);
    expect(problems({ ...User, additionalProperties: {} }, { id: 'u1', keyHash: 'abc' })).not.toEqual([]);
  });

  it('looks inside arrays and alternatives', () => {
    const list = { type: 'object', properties: { users: { type: 'array', items: User } } } satisfies JsonSchema;
    expect(problems(list, { users: [{ id: 'u1' }] })).toEqual([]);
    expect(problems(list, { users: [{ id: 'u1', passwordHash: 'x' }] })).not.toEqual([]);
    const either = { anyOf: [User, { type: 'object', properties: {} }] } satisfies JsonSchema;
    expect(problems(either, {})).toEqual([]);
    expect(problems(either, { id: 'u1', passwordHash: 'x' })).not.toEqual([]);
  });

  it('keeps maps (z.record) open: their keys are data', () => {
    const counts = { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'number' } } satisfies JsonSchema;
    expect(problems(counts, { anything: 1, goes: 2 })).toEqual([]);
    expect(problems(counts, { anything: 'one' })).not.toEqual([]);
  });
});
