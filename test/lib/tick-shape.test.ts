import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tickCacheStates } from '../helpers/tick-caches.js';

/**
 * A child process makes ticks between full garbage collections (none alive at each one),
 * then prints V8's feedback for `process.nextTick`: the states of the inline caches where it
 * builds its tick object (DefineKeyedOwnPropertyInLiteral slots).
 */
function nextTickCaches(keep: boolean): string[] {
  const script = `
    import { keepTickObjectShape } from './src/lib/tick-shape.ts';
    if (${keep}) keepTickObjectShape();
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 1000; j++) process.nextTick(() => {});
      await new Promise((resolve) => setImmediate(resolve));
      globalThis.gc();
    }
    new Function('f', '%DebugPrint(f)')(process.nextTick);
  `;
  // Into a file: V8 prints from C++ to fd 1, and a pipe would drop what does not fit at once.
  const dir = mkdtempSync(join(tmpdir(), 'ev-tick-'));
  const out = openSync(join(dir, 'out'), 'w');
  try {
    const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      stdio: ['ignore', out, 'pipe'],
    });
    expect(run.status, run.stderr).toBe(0);
    return tickCacheStates(readFileSync(join(dir, 'out'), 'utf8'));
  } finally {
    closeSync(out);
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('keepTickObjectShape', () => {
  it('keeps the tick object caches monomorphic through full collections that find no tick alive', () => {
    // Without it the caches turn megamorphic (this also shows the probe reads V8's output).
    expect(nextTickCaches(false)).toContain('MEGAMORPHIC');
    const kept = nextTickCaches(true);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((state) => state === 'MONOMORPHIC')).toBe(true);
  });
});
