import { describe, expect, it } from 'vitest';
import { DecryptionError, decryptSecret, encryptSecret } from '../src/lib/crypto.js';

const KEY = 'a1'.repeat(32);
const OTHER_KEY = 'b2'.repeat(32);
const SECRET = 'cal_live_0123456789abcdef0123456789abcdef';

/** Flips one bit of the base64 part at `index` (1 iv, 2 tag, 3 ciphertext). */
function flipBit(payload: string, index: number): string {
  const parts = payload.split(':');
  const bytes = Buffer.from(parts[index]!, 'base64');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString('base64');
  return parts.join(':');
}

describe('encryptSecret / decryptSecret', () => {
  it('round-trips, including non-ASCII text', () => {
    expect(decryptSecret(encryptSecret(SECRET, KEY), KEY)).toBe(SECRET);
    expect(decryptSecret(encryptSecret('clé secrète ✓', KEY), KEY)).toBe('clé secrète ✓');
  });

  it('writes the versioned form v1:<iv>:<tag>:<ciphertext> without the plaintext in it', () => {
    const payload = encryptSecret(SECRET, KEY);
    const [version, iv, tag, ciphertext] = payload.split(':');
    expect(version).toBe('v1');
    expect(Buffer.from(iv!, 'base64')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64')).toHaveLength(16);
    expect(Buffer.from(ciphertext!, 'base64')).toHaveLength(Buffer.byteLength(SECRET));
    expect(payload).not.toContain('cal_live');
  });

  it('uses a fresh IV each time: the same plaintext never encrypts the same way', () => {
    const payloads = Array.from({ length: 20 }, () => encryptSecret(SECRET, KEY));
    expect(new Set(payloads).size).toBe(20);
    expect(new Set(payloads.map((p) => p.split(':')[1])).size).toBe(20);
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const payload = encryptSecret(SECRET, KEY);
    for (const index of [1, 2, 3]) {
      expect(() => decryptSecret(flipBit(payload, index), KEY)).toThrow(DecryptionError);
      expect(() => decryptSecret(flipBit(payload, index), KEY)).toThrow('Could not decrypt: wrong key or tampered data');
    }
  });

  it('fails with the wrong key, keeping the cipher error as the cause', () => {
    const failure = (() => {
      try {
        decryptSecret(encryptSecret(SECRET, KEY), OTHER_KEY);
      } catch (err) {
        return err as DecryptionError;
      }
    })();
    expect(failure).toBeInstanceOf(DecryptionError);
    expect(failure?.message).toBe('Could not decrypt: wrong key or tampered data');
    expect(failure?.cause).toBeInstanceOf(Error);
  });

  it('refuses a short IV or a short tag before trying the cipher', () => {
    const [version, iv, tag, ciphertext] = encryptSecret(SECRET, KEY).split(':');
    const cut = (b64: string) => Buffer.from(b64, 'base64').subarray(0, 8).toString('base64');
    // Each alone: a check that needs both to be short would let either through.
    expect(() => decryptSecret([version, cut(iv!), tag, ciphertext].join(':'), KEY)).toThrow('Malformed encrypted secret');
    expect(() => decryptSecret([version, iv, cut(tag!), ciphertext].join(':'), KEY)).toThrow('Malformed encrypted secret');
  });

  it('rejects unknown versions and malformed values', () => {
    const [, iv, tag, ciphertext] = encryptSecret(SECRET, KEY).split(':');
    expect(() => decryptSecret(`v2:${iv}:${tag}:${ciphertext}`, KEY)).toThrow(DecryptionError);
    expect(() => decryptSecret(SECRET, KEY)).toThrow(DecryptionError);
    expect(() => decryptSecret(`v1:${iv}:${tag}`, KEY)).toThrow('Not an encrypted secret of a known version');
    expect(() => decryptSecret(`v1:${iv}:${tag}:${ciphertext}:extra`, KEY)).toThrow('Not an encrypted secret of a known version');
  });

  it('refuses a key that is not exactly 32 bytes of hex', () => {
    expect(() => encryptSecret(SECRET, 'abc')).toThrow(/64 hex/);
    // 64 hex characters inside a longer value are not a key.
    expect(() => encryptSecret(SECRET, `${KEY}f`)).toThrow(/64 hex/);
    expect(() => encryptSecret(SECRET, `z${KEY}`)).toThrow(/64 hex/);
  });
});
