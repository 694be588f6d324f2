/**
 * Stripe's form encoding: nested parameters in bracket notation (`metadata[organizationId]=…`,
 * `line_items[0][price]=…`, `expand[]=…`), as stripe-node writes them and Stripe reads them.
 * @fastify/formbody keeps such keys flat, so the emulator parses its bodies and queries here.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
type Branch = Map<string, Branch | string>;

const KEY = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;

/** `a[b][0]` → ['a', 'b', '0']; `a[]` → ['a', ''] (append); anything else stays one flat key. */
function keyPath(name: string): string[] {
  const match = KEY.exec(name);
  if (!match) return [name];
  const brackets = [...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!);
  return [match[1]!, ...brackets];
}

function assign(root: Branch, path: string[], value: string) {
  let node = root;
  path.forEach((segment, i) => {
    const key = segment === '' ? String(node.size) : segment;
    if (i === path.length - 1) {
      node.set(key, value);
      return;
    }
    const child = node.get(key);
    const branch = child instanceof Map ? child : new Map<string, Branch | string>();
    node.set(key, branch);
    node = branch;
  });
}

/** A branch whose keys are all indices becomes an array, in index order (never sparse). */
function materialize(node: Branch | string): FormValue {
  if (typeof node === 'string') return node;
  const entries = [...node.entries()];
  if (entries.length > 0 && entries.every(([key]) => /^\d+$/.test(key))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, value]) => materialize(value));
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, materialize(value)]));
}

/** Parses an `application/x-www-form-urlencoded` body or query string the way Stripe does. */
export function parseStripeForm(text: string): Record<string, FormValue> {
  const root: Branch = new Map();
  for (const [name, value] of new URLSearchParams(text)) assign(root, keyPath(name), value);
  return Object.fromEntries([...root.entries()].map(([key, value]) => [key, materialize(value)]));
}
