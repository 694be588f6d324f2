// find-my-way (Fastify's router) compiles a matcher with `new Function` for every static node
// of its route trees, and again at each split, as routes are added: ~1,250 compilations for our
// ~240 routes, and their garbage, about 0.1 s of every start (measured: restart to first 200,
// A/B in one session). Most nodes are never reached by a given process. In the server's bundle
// each node compiles its matcher the first time a lookup reaches it instead; from then on the
// lookup runs the same compiled matcher as before.
import { readFile } from 'node:fs/promises';

const EDITS = [
  [
    'this.matchPrefix = kind === NODE_TYPES.STATIC ? compilePrefixMatch(prefix) : null',
    'this.matchPrefix = kind === NODE_TYPES.STATIC ? matchPrefixFirstTime : null',
  ],
  ['this.matchPrefix = compilePrefixMatch(childPrefix)', 'this.matchPrefix = matchPrefixFirstTime'],
  [
    'class Node {',
    `// Called as node.matchPrefix(path, i): compiles this node's matcher and keeps it.
function matchPrefixFirstTime (path, i) {
  this.matchPrefix = compilePrefixMatch(this.prefix)
  return this.matchPrefix(path, i)
}

class Node {`,
  ],
];

/** find-my-way's lib/node.js with each static node's matcher compiled on first use. Throws if the source is not the one these edits were written for. */
export function lazyPrefixMatch(source) {
  return EDITS.reduce((code, [from, to]) => {
    if (code.split(from).length !== 2) throw new Error(`find-my-way's lib/node.js changed (no single "${from}"): revisit scripts/lazy-router-prefixes.mjs`);
    return code.replace(from, to);
  }, source);
}

/** The esbuild plugin applying lazyPrefixMatch to the bundled find-my-way. */
export const lazyRouterPrefixes = {
  name: 'lazy-router-prefixes',
  setup(build) {
    build.onLoad({ filter: /[\\/]find-my-way[\\/]lib[\\/]node\.js$/ }, async (args) => ({
      contents: lazyPrefixMatch(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
