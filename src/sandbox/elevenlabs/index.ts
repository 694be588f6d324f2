import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Emulator of ElevenLabs, mounted at /sandbox/elevenlabs (placeholder). */
const elevenlabsEmulator: FastifyPluginAsyncZod = async () => {};

export default elevenlabsEmulator;
