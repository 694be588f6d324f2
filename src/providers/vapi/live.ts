import type { VapiProvider } from './port.js';
import type { ProviderOptions } from '../index.js';

/** The only file that talks to VAPI. */
export function createVapiProvider(_opts: ProviderOptions): VapiProvider {
  return {};
}
