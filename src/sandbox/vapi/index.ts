import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Emulator of VAPI, mounted at /sandbox/vapi (placeholder). */
const vapiEmulator: FastifyPluginAsyncZod = async () => {};

export default vapiEmulator;
