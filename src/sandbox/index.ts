import type { FastifyInstance } from 'fastify';
import sandboxMailRoutes from './mail/routes.js';
import vapiEmulator from './vapi/index.js';
import twilioEmulator from './twilio/index.js';
import stripeEmulator from './stripe/index.js';
import calcomEmulator from './calcom/index.js';
import elevenlabsEmulator from './elevenlabs/index.js';
import anthropicEmulator from './anthropic/index.js';
import webhookReceiverRoutes from './webhook-receiver/routes.js';
import sampleSiteRoutes from './sample-site/index.js';

/** Mounts every emulator under /sandbox/<service>. Only called when SANDBOX=1. */
export async function registerSandbox(app: FastifyInstance) {
  await app.register(sandboxMailRoutes);
  await app.register(vapiEmulator, { prefix: '/sandbox/vapi' });
  await app.register(twilioEmulator, { prefix: '/sandbox/twilio' });
  await app.register(stripeEmulator, { prefix: '/sandbox/stripe' });
  await app.register(calcomEmulator, { prefix: '/sandbox/calcom' });
  await app.register(elevenlabsEmulator, { prefix: '/sandbox/elevenlabs' });
  await app.register(anthropicEmulator, { prefix: '/sandbox/anthropic' });
  await app.register(webhookReceiverRoutes);
  await app.register(sampleSiteRoutes);
}
