import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Emulator of Anthropic, mounted at /sandbox/anthropic (placeholder). */
const anthropicEmulator: FastifyPluginAsyncZod = async () => {};

export default anthropicEmulator;
