import type { Plugin } from 'esbuild';

export function lazyPrefixMatch(source: string): string;
export const lazyRouterPrefixes: Plugin;
