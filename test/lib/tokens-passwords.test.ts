import { describe, expect, it } from 'vitest';
import { randomBase62, safeEqual } from '../../src/lib/tokens.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../src/lib/passwords.js';

describe('randomBase62', () => {
  it('always writes 32 bytes as 43 characters, padding small values with leading zeros', () => {
    // ceil(256 / log2 62) = 43; about one value in 62 needs fewer digits and must be padded.
    const tokens = Array.from({ length: 1000 }, () => randomBase62(32));
    expect(new Set(tokens.map((t) => t.length))).toEqual(new Set([43]));
    expect(tokens.some((t) => t.startsWith('0'))).toBe(true);
    for (const t of tokens) expect(t).toMatch(/^[0-9A-Za-z]{43}$/);
  });
});

describe('safeEqual', () => {
  it('is true only for the same string', () => {
    expect(safeEqual('s3cret', 's3cret')).toBe(true);
    for (const other of ['', 's3cre', 's3crett', 'S3cret', ' s3cret']) expect(safeEqual(other, 's3cret'), other).toBe(false);
  });
});

describe('passwords', () => {
  it('verifies the password a hash was made from, and nothing else', async () => {
    const hash = await hashPassword('correct horse');
    expect(await verifyPassword(hash, 'correct horse')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse ')).toBe(false);
  });

  it('answers false, not an error, for a stored value that is not an argon2 hash', async () => {
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
  });

  it('burns as much time for an unknown email as a real check takes', async () => {
    const hash = await hashPassword('correct horse');
    await burnPasswordCheck('warm-up'); // the first call also makes the dummy hash
    const timed = async (work: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        await work();
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[1]!;
    };
    const real = await timed(() => verifyPassword(hash, 'wrong'));
    const burnt = await timed(() => burnPasswordCheck('wrong'));
    // argon2id at 19 MiB takes tens of ms; a check that skipped the work would take ~0.
    expect(burnt).toBeGreaterThan(real / 3);
  });
});
