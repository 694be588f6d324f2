import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The Twilio Voice JS SDK, served by us from the pinned `@twilio/voice-sdk` package (its
 * browser bundle, dist/twilio.min.js, which defines window.Twilio.Device). The URL carries the
 * content hash, so it never changes meaning and is cached for a year; a new package version is
 * a new URL, and /widget.js (short-lived cache) points at it.
 */
export interface VoiceSdk {
  path: string;
  body: Buffer;
  /** gzip of body, made at the first request that accepts it. */
  gzipped(): Buffer;
}

export const SDK_MAX_AGE_SECONDS = 365 * 24 * 3600;

export function loadVoiceSdk(): VoiceSdk {
  // The package's exports hide dist/; its entry (es5/twilio.js) sits beside it.
  const entry = createRequire(import.meta.url).resolve('@twilio/voice-sdk');
  const body = readFileSync(join(dirname(entry), '..', 'dist', 'twilio.min.js'));
  let gzipped: Buffer | undefined;
  return {
    path: `/widget/twilio-voice-sdk.${createHash('sha256').update(body).digest('hex').slice(0, 16)}.js`,
    body,
    gzipped: () => (gzipped ??= gzipSync(body)),
  };
}
