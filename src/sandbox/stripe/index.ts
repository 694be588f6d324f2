import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Emulator of Stripe, mounted at /sandbox/stripe (placeholder). */
const stripeEmulator: FastifyPluginAsyncZod = async () => {};

export default stripeEmulator;
