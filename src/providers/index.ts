import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { VapiProvider } from './vapi/port.js';
import type { TwilioProvider } from './twilio/port.js';
import type { StripeProvider } from './stripe/port.js';
import type { CalcomProvider } from './calcom/port.js';
import type { VoiceCatalogProvider } from './elevenlabs/port.js';
import type { AiProvider } from './anthropic/port.js';
import { createCalcomProvider } from './calcom/live.js';
import { createElevenLabsProvider } from './elevenlabs/live.js';

export interface Providers {
  vapi: VapiProvider;
  twilio: TwilioProvider;
  stripe: StripeProvider;
  calcom: CalcomProvider;
  voices: VoiceCatalogProvider;
  ai: AiProvider;
}

/** What every adapter factory receives. */
export interface ProviderOptions {
  config: Config;
  log: FastifyBaseLogger;
  /**
   * Where the real client must send its requests: the emulator under /sandbox/<service>
   * when SANDBOX=1, undefined for the service's real API.
   */
  baseUrl?: string;
}

export const SANDBOX_SERVICES = ['vapi', 'twilio', 'stripe', 'calcom', 'elevenlabs', 'anthropic'] as const;
export type SandboxService = (typeof SANDBOX_SERVICES)[number];

/**
 * Loads a provider's SDK on its first call instead of at start-up (the VAPI, Anthropic, Twilio
 * and Stripe SDKs together cost ~1 s to import). Only for ports whose methods are all async.
 */
function lazyProvider<T extends object>(load: () => Promise<T>): T {
  let instance: Promise<T> | undefined;
  return new Proxy({} as T, {
    get(_target, name) {
      if (name === 'then') return undefined; // not a thenable
      return async (...args: unknown[]) => {
        instance ??= load();
        const provider = (await instance) as Record<PropertyKey, (...a: unknown[]) => unknown>;
        return provider[name]!(...args);
      };
    },
  });
}

/** Builds one client per outside service; in the sandbox each points at its emulator. */
export function createProviders(config: Config, log: FastifyBaseLogger): Providers {
  const opts = (service: SandboxService): ProviderOptions => ({
    config,
    log: log.child({ provider: service }),
    baseUrl: config.sandbox ? `${config.internalUrl}/sandbox/${service}` : undefined,
  });
  return {
    vapi: lazyProvider(async () => (await import('./vapi/live.js')).createVapiProvider(opts('vapi'))),
    twilio: lazyProvider(async () => (await import('./twilio/live.js')).createTwilioProvider(opts('twilio'))),
    stripe: lazyProvider(async () => (await import('./stripe/live.js')).createStripeProvider(opts('stripe'))),
    calcom: createCalcomProvider(opts('calcom')),
    voices: createElevenLabsProvider(opts('elevenlabs')),
    ai: lazyProvider(async () => (await import('./anthropic/live.js')).createAnthropicProvider(opts('anthropic'))),
  };
}
