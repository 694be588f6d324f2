import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Emulator of Twilio, mounted at /sandbox/twilio (placeholder). */
const twilioEmulator: FastifyPluginAsyncZod = async () => {};

export default twilioEmulator;
