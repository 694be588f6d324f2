import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PREMADE_VOICES } from '../../providers/elevenlabs/catalog.js';
import { installFaults } from '../faults.js';

/** ElevenLabs' 401 for a request without a key, as its API words it. */
const NEEDS_AUTHORIZATION = {
  detail: {
    type: 'authentication_error',
    code: 'unauthorized',
    status: 'needs_authorization',
    message: 'Neither authorization header nor xi-api-key received, please provide one.',
  },
};

/** A few frames of silent MPEG-1 Layer III (128 kb/s, 44.1 kHz): a tiny MP3 that plays. */
function silentMp3(frames = 10): Buffer {
  const frame = Buffer.alloc(417); // 144 * 128000 / 44100 bytes per frame
  frame.set([0xff, 0xfb, 0x90, 0x64]); // sync, MPEG-1 L3, 128 kb/s, 44.1 kHz; zero side info = silence
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}
const SILENCE = silentMp3();

/**
 * Emulator of ElevenLabs at /sandbox/elevenlabs: `GET /v1/voices` serves the built-in premade
 * catalog to any non-empty `xi-api-key` (there is no ElevenLabs account to check against),
 * with preview URLs on this emulator, which answers them with a short silent MP3.
 */
const elevenlabsEmulator: FastifyPluginAsyncZod = async (app) => {
  const injectFault = installFaults(app);
  const previewUrl = (voiceId: string) => `${app.ctx.config.appUrl}/sandbox/elevenlabs/previews/${voiceId}.mp3`;

  app.get('/v1/voices', { schema: { hide: true } }, async (request, reply) => {
    if (injectFault(reply)) return reply;
    if (!request.headers['xi-api-key']) return reply.status(401).send(NEEDS_AUTHORIZATION);
    return { voices: PREMADE_VOICES.map((voice) => ({ ...voice, preview_url: previewUrl(voice.voice_id) })) };
  });

  // Public like ElevenLabs' preview CDN: a browser plays these without a key.
  app.get('/previews/:file', { schema: { hide: true, params: z.object({ file: z.string() }) } }, async (request, reply) => {
    const voiceId = request.params.file.replace(/\.mp3$/, '');
    if (!PREMADE_VOICES.some((v) => v.voice_id === voiceId)) return reply.status(404).send('Not Found');
    return reply.type('audio/mpeg').header('cache-control', 'public, max-age=86400').send(SILENCE);
  });
};

export default elevenlabsEmulator;
