import type { AiProvider } from './port.js';
import type { ProviderOptions } from '../index.js';

/** The only file that talks to Anthropic. */
export function createAnthropicProvider(_opts: ProviderOptions): AiProvider {
  return {};
}
