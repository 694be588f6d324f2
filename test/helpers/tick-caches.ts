/**
 * The states (MONOMORPHIC, MEGAMORPHIC, ...) of the inline caches where `process.nextTick`
 * builds its tick object, read from V8's `%DebugPrint(process.nextTick)` (--allow-natives-syntax).
 */
export const tickCacheStates = (printed: string) => [...printed.matchAll(/slot #\d+ DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((m) => m[1]!);
