/**
 * V8's code cache for the bundled server, between the launcher (src/launch.ts, which compiles
 * dist/server.cjs with it) and main (which says when start-up is done, so the cache holds every
 * function start-up compiled, not only the top level). Absent when src runs under tsx, and with
 * `--enable-source-maps` (the launcher then loads the bundle without it).
 */
export interface CodeCache {
  /** At this start: `used` (accepted by V8), `none` (no cache yet), `rejected` (another V8 or other flags wrote it). */
  readonly status: 'used' | 'none' | 'rejected';
  /** Writes the cache unless this start used it or dist/ is read-only (then every start compiles the bundle). */
  save(): void;
}

const KEY = Symbol.for('epoch-voice.code-cache');
const slot = globalThis as { [KEY]?: CodeCache };

export const provideCodeCache = (cache: CodeCache) => void (slot[KEY] = cache);
export const codeCache = (): CodeCache | undefined => slot[KEY];
