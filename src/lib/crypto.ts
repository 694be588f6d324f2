import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (a business's Cal.com API key): AES-256-GCM with ENCRYPTION_KEY.
 * Stored as `v1:<iv>:<tag>:<ciphertext>` (base64 each) so the scheme can change later
 * without guessing how an old value was written.
 */
const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
/** 96-bit IVs: GCM's native size; random per message, never reused with one key. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {}

function keyBytes(keyHex: string): Buffer {
  if (!/^[0-9a-f]{64}$/i.test(keyHex)) throw new Error('Encryption key must be 32 bytes written as 64 hex characters');
  return Buffer.from(keyHex, 'hex');
}

/** Encrypts a short secret; the same input gives a different output each time. */
export function encryptSecret(plaintext: string, keyHex: string): string {
  const iv = randomBytes(IV_BYTES);
  // Stryker disable next-line ObjectLiteral: equivalent, GCM's default tag is our 16 bytes; said anyway, as at decrypt
  const cipher = createCipheriv(ALGORITHM, keyBytes(keyHex), iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const b64 = (bytes: Buffer) => bytes.toString('base64');
  return `${VERSION}:${b64(iv)}:${b64(cipher.getAuthTag())}:${b64(ciphertext)}`;
}

/** Decrypts what encryptSecret wrote; throws DecryptionError for a wrong key or altered data. */
export function decryptSecret(payload: string, keyHex: string): string {
  const [version, iv, tag, ciphertext, ...rest] = payload.split(':');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined || rest.length > 0) {
    throw new DecryptionError('Not an encrypted secret of a known version');
  }
  const ivBytes = Buffer.from(iv, 'base64');
  const tagBytes = Buffer.from(tag, 'base64');
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new DecryptionError('Malformed encrypted secret');
  try {
    // Stryker disable next-line ObjectLiteral: equivalent here, the tag was just checked to be 16 bytes; kept so a short tag can never be accepted
    const decipher = createDecipheriv(ALGORITHM, keyBytes(keyHex), ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new DecryptionError('Could not decrypt: wrong key or tampered data', { cause: err });
  }
}
