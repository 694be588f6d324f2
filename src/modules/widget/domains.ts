import { domainToASCII } from 'node:url';

/**
 * The allowed-domains list of an embed token, and the check of a browser's `Origin` against it.
 *
 * An entry is a host, optionally with a port, and never a scheme or a path:
 *   - `mysite.com` matches exactly that host on its default port, over http or https;
 *   - `*.example.com` matches any subdomain (`a.example.com`, `a.b.example.com`) but not
 *     `example.com` itself (list it too) and not `evil-example.com`;
 *   - `localhost:5173`, `127.0.0.1:8080`, `*.example.com:8443`: a port must match exactly
 *     (`:80` and `:443` are dropped, since browsers omit default ports from `Origin`).
 * Hosts are lower-cased and IDNs stored in punycode (as browsers send them). IPv4 literals
 * and `localhost` are accepted for development; IPv6 literals and bare single-label names are not.
 */

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const MAX_HOST = 253;

export type DomainEntryResult = { ok: true; value: string } | { ok: false; message: string };

/** Validates and normalizes one allowed-domains entry. */
export function normalizeDomainEntry(raw: string): DomainEntryResult {
  const fail = (message: string): DomainEntryResult => ({ ok: false, message });
  const s = raw.trim().toLowerCase();
  if (!s) return fail('is empty');
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(s)) return fail('must be a host like mysite.com, without http:// or https://');
  if (/[/?#@\\\s]/.test(s)) return fail('must be a host like mysite.com, without a path, query or user');
  if (s.startsWith('[')) return fail('IPv6 addresses are not supported');

  const wildcard = s.startsWith('*.');
  const rest = wildcard ? s.slice(2) : s;
  if (rest.includes('*')) return fail('a wildcard is only allowed as the first label, as in *.example.com');

  const m = /^([^:]+)(?::(\d{1,5}))?$/.exec(rest);
  if (!m) return fail('must be host or host:port');
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return fail('has a port outside 1–65535');

  const host = domainToASCII(m[1]!);
  if (!host || host.length > MAX_HOST) return fail('is not a valid host name');
  const ipv4 = IPV4.exec(host);
  if (ipv4) {
    if (wildcard) return fail('a wildcard cannot be used with an IP address');
    if (ipv4.slice(1).some((octet) => Number(octet) > 255 || (octet.length > 1 && octet.startsWith('0')))) return fail('is not a valid IPv4 address');
  } else {
    const labels = host.split('.');
    if (!labels.every((l) => LABEL.test(l))) return fail('is not a valid host name');
    if (/^\d+$/.test(labels.at(-1)!)) return fail('is not a valid host name');
    if (labels.length < 2 && host !== 'localhost') {
      return fail(wildcard ? 'a wildcard needs a domain with at least two labels, as in *.example.com' : 'must be a full domain like mysite.com (or localhost)');
    }
  }
  const keepPort = port !== undefined && port !== 80 && port !== 443;
  return { ok: true, value: `${wildcard ? '*.' : ''}${host}${keepPort ? `:${port}` : ''}` };
}

/**
 * The `host[:port]` of a browser `Origin` header (default port omitted, as URL.host does),
 * or undefined for anything that is not a plain http(s) origin (`null`, file:, a path…).
 */
export function originHost(origin: string | undefined): string | undefined {
  if (!origin || origin === 'null') return undefined;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // An Origin is exactly scheme://host[:port]; anything more is not a browser's Origin.
  if (url.origin !== origin.toLowerCase().replace(/\/$/, '') || url.username || url.password) return undefined;
  return url.host;
}

/** Whether `host` (from originHost) is allowed by one of the normalized entries. */
export function hostAllowed(host: string, entries: readonly string[]): boolean {
  return entries.some((entry) => {
    if (!entry.startsWith('*.')) return host === entry;
    const suffix = entry.slice(1); // ".example.com" (with its port, if any)
    return host.length > suffix.length && host.endsWith(suffix);
  });
}

/** The Origin header's value if it is allowed by the entries, else undefined. */
export function allowedOrigin(origin: string | undefined, entries: readonly string[]): string | undefined {
  const host = originHost(origin);
  return host && hostAllowed(host, entries) ? origin : undefined;
}
