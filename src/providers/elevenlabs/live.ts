import { z } from 'zod';
import type { ProviderOptions } from '../index.js';
import { ProviderError } from '../errors.js';
import { fetchJson } from '../http.js';
import { PREMADE_VOICES } from './catalog.js';
import type { Voice, VoiceCatalogProvider } from './port.js';

const ELEVENLABS_API = 'https://api.elevenlabs.io';

/** What the client sends the sandbox emulator, which accepts any non-empty key. */
const SANDBOX_API_KEY = 'sk_sandbox_epoch_voice';

const VoicesResponse = z.object({
  voices: z.array(
    z.object({
      voice_id: z.string(),
      name: z.string(),
      labels: z.record(z.string(), z.string()).nullish(),
      description: z.string().nullish(),
      preview_url: z.string().nullish(),
    }),
  ),
});
type WireVoice = z.infer<typeof VoicesResponse>['voices'][number];

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Newer voices carry a sentence; premade ones only labels, which read as one. */
function describe(voice: WireVoice): string {
  if (voice.description) return voice.description;
  const labels = voice.labels ?? {};
  const tone = labels.description ?? labels.descriptive;
  const words = [tone, labels.age, labels.accent && capitalize(labels.accent), labels.gender, 'voice'].filter(Boolean).join(' ');
  return capitalize(words) + (labels.use_case ? ` (${labels.use_case})` : '');
}

const toVoice = (voice: WireVoice): Voice => ({
  id: voice.voice_id,
  name: voice.name,
  gender: voice.labels?.gender ?? '',
  description: describe(voice),
  previewUrl: voice.preview_url ?? '',
});

/** `GET /v1/voices` with `xi-api-key`; retries 429 and 5xx (a read). */
export async function fetchVoices(opts: { apiKey: string; baseUrl?: string }): Promise<Voice[]> {
  const body = await fetchJson<unknown>('elevenlabs', `${opts.baseUrl ?? ELEVENLABS_API}/v1/voices`, {
    headers: { 'xi-api-key': opts.apiKey, accept: 'application/json' },
  });
  const parsed = VoicesResponse.safeParse(body);
  if (!parsed.success) throw new ProviderError('elevenlabs', undefined, 'listVoices: unexpected response shape', { cause: parsed.error });
  return parsed.data.voices.map(toVoice);
}

/**
 * The only file that talks to ElevenLabs (plain fetch). With ELEVENLABS_API_KEY the account's
 * real catalog is read; without one the premade voices (public and stable) are the answer.
 * The sandbox asks its emulator with a fixed key.
 */
export function createElevenLabsProvider(opts: ProviderOptions): VoiceCatalogProvider {
  const { baseUrl } = opts;
  const apiKey = opts.config.elevenlabsApiKey;
  if (baseUrl) return { listVoices: () => fetchVoices({ apiKey: SANDBOX_API_KEY, baseUrl }) };
  if (apiKey) return { listVoices: () => fetchVoices({ apiKey }) };
  return { listVoices: async () => PREMADE_VOICES.map(toVoice) };
}
