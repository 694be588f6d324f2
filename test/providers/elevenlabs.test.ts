import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListeningApp } from '../helpers/app.js';
import { ProviderError } from '../../src/providers/errors.js';
import { createElevenLabsProvider, fetchVoices } from '../../src/providers/elevenlabs/live.js';
import type { VoiceCatalogProvider } from '../../src/providers/elevenlabs/port.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let voices: VoiceCatalogProvider;
let sandbox: string;

beforeAll(async () => {
  t = await buildListeningApp();
  voices = t.app.ctx.providers.voices;
  sandbox = `${t.baseUrl}/sandbox/elevenlabs`;
});
afterAll(() => t.close());

const fault = (body: { status: number; count: number; retryAfter?: number }) =>
  fetch(`${sandbox}/_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => expect.fail('expected a ProviderError'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('voice catalog', () => {
  it('lists the premade voices through the emulator, in our terms', async () => {
    const list = await voices.listVoices();
    expect(list.length).toBeGreaterThanOrEqual(12);
    expect(new Set(list.map((v) => v.id)).size).toBe(list.length);
    for (const v of list) expect(v.id).toMatch(/^[0-9A-Za-z]{20}$/);
    expect(list.find((v) => v.name === 'Rachel')).toEqual({
      id: '21m00Tcm4TlvDq8ikWAM',
      name: 'Rachel',
      gender: 'female',
      description: 'Calm young American female voice (narration)',
      previewUrl: `${t.baseUrl}/sandbox/elevenlabs/previews/21m00Tcm4TlvDq8ikWAM.mp3`,
    });
    expect(list.find((v) => v.name === 'Adam')).toMatchObject({ id: 'pNInz6obpgDQGcFmaJgB', gender: 'male' });
  });

  it('answers in ElevenLabs’ wire shape', async () => {
    const res = await fetch(`${sandbox}/v1/voices`, { headers: { 'xi-api-key': 'any-key' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { voices: Array<Record<string, unknown>> };
    expect(body.voices[0]).toEqual({
      voice_id: '21m00Tcm4TlvDq8ikWAM',
      name: 'Rachel',
      category: 'premade',
      labels: { accent: 'american', description: 'calm', age: 'young', gender: 'female', use_case: 'narration' },
      preview_url: `${t.baseUrl}/sandbox/elevenlabs/previews/21m00Tcm4TlvDq8ikWAM.mp3`,
    });
  });

  it('serves a playable preview for each voice, without a key', async () => {
    const [first] = await voices.listVoices();
    const res = await fetch(first!.previewUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfb]); // an MPEG-1 Layer III frame
    expect((await fetch(`${sandbox}/previews/unknownVoiceId00000.mp3`)).status).toBe(404);
  });

  it('answers the built-in catalog when no ElevenLabs key is configured (SANDBOX=0)', async () => {
    const live = createElevenLabsProvider({ config: t.config, log: t.app.log, baseUrl: undefined });
    const builtIn = await live.listVoices();
    const emulated = await voices.listVoices();
    expect(builtIn.map(({ previewUrl: _, ...v }) => v)).toEqual(emulated.map(({ previewUrl: _, ...v }) => v));
    for (const v of builtIn) expect(v.previewUrl).toMatch(new RegExp(`^https://storage\\.googleapis\\.com/eleven-public-prod/premade/voices/${v.id}/[0-9a-f-]{36}\\.mp3$`));
  });
});

describe('errors and retries', () => {
  it('401s a request without a key, in ElevenLabs’ error shape', async () => {
    const err = await rejection(fetchVoices({ apiKey: '', baseUrl: sandbox }));
    expect(err.status).toBe(401);
    const res = await fetch(`${sandbox}/v1/voices`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ detail: { status: 'needs_authorization', type: 'authentication_error' } });
  });

  it('honors 429 Retry-After and retries 5xx, then succeeds', async () => {
    await fault({ status: 429, count: 1, retryAfter: 1 });
    const started = Date.now();
    expect((await voices.listVoices()).length).toBeGreaterThanOrEqual(12);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    await fault({ status: 503, count: 2 });
    expect((await voices.listVoices()).length).toBeGreaterThanOrEqual(12);
  });

  it('gives up with the last status when every attempt fails', async () => {
    await fault({ status: 500, count: 3 });
    expect((await rejection(voices.listVoices())).status).toBe(500);
  });
});
