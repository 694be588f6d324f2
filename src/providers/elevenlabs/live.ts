import type { VoiceCatalogProvider } from './port.js';
import type { ProviderOptions } from '../index.js';

/** The only file that talks to ElevenLabs. */
export function createElevenLabsProvider(_opts: ProviderOptions): VoiceCatalogProvider {
  return {};
}
