import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Emulator of Cal.com, mounted at /sandbox/calcom (placeholder). */
const calcomEmulator: FastifyPluginAsyncZod = async () => {};

export default calcomEmulator;
