import { describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../src/lib/tokens.js';
import { toolCallsOf, verifyVapiRequest, type VapiServerMessage } from '../../src/providers/vapi/webhook.js';

describe('verifyVapiRequest', () => {
  it('refuses everything when no secret is configured, even a matching empty value', () => {
    for (const secret of [undefined, '']) {
      expect(verifyVapiRequest({ 'x-vapi-secret': '' }, secret)).toBe(false);
      expect(verifyVapiRequest({ authorization: 'Bearer ' }, secret)).toBe(false);
      expect(verifyVapiRequest({ 'x-vapi-signature': hmacSha256('', '{}') }, secret, '{}')).toBe(false);
    }
  });

  it('reads the first of repeated headers', () => {
    expect(verifyVapiRequest({ 'x-vapi-secret': ['s3cret', 'other'] }, 's3cret')).toBe(true);
    expect(verifyVapiRequest({ 'x-vapi-secret': ['other', 's3cret'] }, 's3cret')).toBe(false);
  });
});

describe('toolCallsOf', () => {
  const call = (args: unknown) => ({ id: 'tc_1', type: 'function', function: { name: 'bookAppointment', arguments: args } });
  const message = (args: unknown) => ({ type: 'tool-calls', toolCallList: [call(args)] }) as VapiServerMessage;

  it('parses string arguments that hold a JSON object, and keeps object arguments', () => {
    expect(toolCallsOf(message('{"date":"2026-12-07"}'))).toEqual([{ id: 'tc_1', name: 'bookAppointment', arguments: { date: '2026-12-07' } }]);
    expect(toolCallsOf(message({ date: '2026-12-07' }))[0]!.arguments).toEqual({ date: '2026-12-07' });
    expect(toolCallsOf(message(undefined))[0]!.arguments).toEqual({});
  });

  it('gives an empty object for arguments that are not a JSON object', () => {
    for (const raw of ['not json', 'null', '[1,2]', '42', '"text"', 'true']) expect(toolCallsOf(message(raw))[0]!.arguments, raw).toEqual({});
  });

  it('reads the older toolWithToolCallList form, skipping entries without a call', () => {
    const older = { type: 'tool-calls', toolWithToolCallList: [{ toolCall: call('{"a":1}') }, { name: 'no call' }] } as VapiServerMessage;
    expect(toolCallsOf(older)).toEqual([{ id: 'tc_1', name: 'bookAppointment', arguments: { a: 1 } }]);
    expect(toolCallsOf({ type: 'tool-calls' } as VapiServerMessage)).toEqual([]);
  });
});
