import { load, type CheerioAPI } from 'cheerio';
import type { BusinessHours } from './hours.js';
import { toE164 } from './phone.js';
import { hoursFromOpeningHours, hoursFromSpecification, hoursFromText } from './website-hours.js';
import { businessTypeOf, jsonLdBusiness, microdataBusiness, type SchemaNode } from './website-schema.js';
import { businessTypeFromWords, findEmail, findPhone, findUsAddress, nameFromTitle, visibleText } from './website-text.js';

export const EXTRACTED_FIELDS = ['businessName', 'businessType', 'description', 'phone', 'address', 'hours', 'email'] as const;
export type ExtractedField = (typeof EXTRACTED_FIELDS)[number];

/** What a website says about the business; null where it says nothing we could read. */
export interface ExtractedBusiness {
  businessName: string | null;
  /** Our vocabulary ("dental_office", "salon", "law_office"…), not schema.org's. */
  businessType: string | null;
  description: string | null;
  /** E.164. */
  phone: string | null;
  /** One line: "123 Main St, Suite 100, San Francisco, CA 94102". */
  address: string | null;
  hours: BusinessHours | null;
  email: string | null;
}

/** Where a value came from, most trusted first. */
export const SOURCES = ['json-ld', 'microdata', 'text'] as const;
export type ExtractSource = (typeof SOURCES)[number];

export type PageKind = 'contact' | 'about' | 'hours' | 'services';
export interface CandidateLink {
  url: string;
  kind: PageKind;
  score: number;
}

export interface PageExtraction {
  data: ExtractedBusiness;
  sources: Partial<Record<ExtractedField, ExtractSource>>;
  /** Same-site pages worth reading next, best first. */
  links: CandidateLink[];
}

type FieldValues = Partial<{ [K in ExtractedField]: ExtractedBusiness[K] }>;

const clean = (v: unknown): string | undefined => {
  const first = Array.isArray(v) ? v.find((x) => typeof x === 'string' || typeof x === 'number') : v;
  if (typeof first !== 'string' && typeof first !== 'number') return undefined;
  const text = String(first).replace(/\s+/g, ' ').trim();
  return text || undefined;
};

const asNodes = (v: unknown): SchemaNode[] =>
  ([] as unknown[]).concat(v ?? []).filter((x): x is SchemaNode => !!x && typeof x === 'object');

function formatAddress(value: unknown): string | undefined {
  if (typeof value === 'string') return findUsAddress(value) ?? clean(value);
  const a = asNodes(value)[0];
  if (!a) return undefined;
  const street = String(clean(a.streetAddress) ?? '')
    .split(/\s*[,\n]\s*/)
    .filter(Boolean);
  const country = clean(typeof a.addressCountry === 'object' ? (a.addressCountry as SchemaNode).name : a.addressCountry);
  const regionZip = [clean(a.addressRegion), clean(a.postalCode)].filter(Boolean).join(' ');
  const parts = [...street, clean(a.addressLocality), regionZip, country && !/^(US|USA|United States)$/i.test(country) ? country : ''];
  const line = parts.filter(Boolean).join(', ');
  return line || undefined;
}

/** The fields a schema.org business node states (JSON-LD or microdata alike). */
function readNode(node: SchemaNode): FieldValues {
  const phone = clean(node.telephone);
  const email = clean(node.email)?.replace(/^mailto:/i, '');
  const hours =
    hoursFromSpecification(asNodes(node.openingHoursSpecification)) ??
    hoursFromOpeningHours(([] as unknown[]).concat(node.openingHours ?? []).filter((x): x is string => typeof x === 'string'));
  return {
    businessName: clean(node.name) ?? clean(node.legalName) ?? null,
    businessType: businessTypeOf(node),
    description: clean(node.description) ?? null,
    phone: (phone && toE164(phone)) ?? null,
    address: formatAddress(node.address) ?? null,
    hours,
    email: email && findEmail(email) ? email : null,
  };
}

const meta = ($: CheerioAPI, key: string) =>
  clean($(`meta[property="${key}"]`).attr('content') ?? $(`meta[name="${key}"]`).attr('content'));

/** The fields a page states in prose, headings and links. */
function readText($: CheerioAPI): FieldValues {
  const text = visibleText($);
  const title = clean($('title').first().text());
  const h1 = clean($('h1').first().text());
  const description = meta($, 'description') ?? meta($, 'og:description');
  const telLink = $('a[href^="tel:"]').first().attr('href')?.slice(4);
  const phoneRaw = telLink ?? findPhone(text);
  const mailLink = $('a[href^="mailto:"]').first().attr('href')?.slice(7).split('?')[0];
  return {
    businessName: meta($, 'og:site_name') ?? (title && nameFromTitle(title)) ?? h1 ?? null,
    businessType: businessTypeFromWords([title, h1, description].filter(Boolean).join(' ')),
    description: description ?? null,
    phone: (phoneRaw && toE164(phoneRaw)) ?? null,
    address: findUsAddress(text),
    hours: hoursFromText(text),
    email: mailLink ?? findEmail(text),
  };
}

const KIND_WORDS: Array<[PageKind, RegExp]> = [
  ['contact', /contact|locations?|find[-_ ]?us|directions|visit/i],
  ['hours', /hours|opening|schedule/i],
  ['about', /about|our[-_ ]?story|team|staff|attorneys|doctors|meet|who[-_ ]?we[-_ ]?are/i],
  ['services', /services|treatments|menu|practice[-_ ]?areas|what[-_ ]?we[-_ ]?do|pricing/i],
];
const SKIP_FILES = /\.(?:pdf|jpe?g|png|gif|svg|webp|zip|docx?|xlsx?|mp[34]|css|js)$/i;
const siteOf = (host: string) => host.toLowerCase().replace(/^www\./, '');

/** Same-site links that look like contact/about/hours/services pages; path words count double. */
function candidateLinks($: CheerioAPI, pageUrl: string): CandidateLink[] {
  const page = new URL(pageUrl);
  const found = new Map<string, CandidateLink>();
  $('a[href]').each((_, el) => {
    let url: URL;
    try {
      url = new URL($(el).attr('href')!, page);
    } catch {
      return;
    }
    if (!/^https?:$/.test(url.protocol) || siteOf(url.hostname) !== siteOf(page.hostname)) return;
    url.hash = '';
    if (url.href === page.href.replace(/#.*$/, '') || SKIP_FILES.test(url.pathname)) return;
    const text = $(el).text();
    for (const [kind, re] of KIND_WORDS) {
      const score = (re.test(url.pathname) ? 2 : 0) + (re.test(text) ? 1 : 0);
      const prev = found.get(url.href);
      if (score > 0 && (!prev || score > prev.score)) found.set(url.href, { url: url.href, kind, score });
    }
  });
  return [...found.values()].sort((a, b) => b.score - a.score);
}

/**
 * Reads one page: JSON-LD first, then microdata, then the page's text, field by field.
 * `pageUrl` resolves relative links; nothing is fetched.
 */
export function extractFromHtml(html: string, pageUrl: string): PageExtraction {
  const $ = load(html);
  const layers: Array<[ExtractSource, FieldValues]> = [];
  const ld = jsonLdBusiness($);
  if (ld) layers.push(['json-ld', readNode(ld)]);
  const md = microdataBusiness($);
  if (md) layers.push(['microdata', readNode(md)]);
  layers.push(['text', readText($)]);
  return { ...pick(layers), links: candidateLinks($, pageUrl) };
}

function pick(layers: Array<[ExtractSource, FieldValues]>): Omit<PageExtraction, 'links'> {
  const data = Object.fromEntries(EXTRACTED_FIELDS.map((f) => [f, null])) as unknown as ExtractedBusiness;
  const sources: PageExtraction['sources'] = {};
  for (const field of EXTRACTED_FIELDS) {
    for (const [source, values] of layers) {
      const value = values[field];
      if (value === null || value === undefined) continue;
      (data as unknown as Record<string, unknown>)[field] = value;
      sources[field] = source;
      break;
    }
  }
  return { data, sources };
}

export interface MergedExtraction {
  data: ExtractedBusiness;
  sources: Partial<Record<ExtractedField, ExtractSource>>;
  /** Fields no page stated: the ones to ask the AI provider for. */
  missing: ExtractedField[];
}

/**
 * Combines several pages (home page first) field by field: the most trusted source wins
 * (JSON-LD over microdata over text), and among equals the earlier page.
 */
export function mergeExtractions(pages: Array<Omit<PageExtraction, 'links'>>): MergedExtraction {
  const rank = (s: ExtractSource) => SOURCES.indexOf(s);
  const layers = pages
    .flatMap((p, order) =>
      EXTRACTED_FIELDS.flatMap((field) => {
        const source = p.sources[field];
        return source ? [{ field, source, order, value: p.data[field] }] : [];
      }),
    )
    .sort((a, b) => rank(a.source) - rank(b.source) || a.order - b.order);
  const merged = pick(layers.map((l): [ExtractSource, FieldValues] => [l.source, { [l.field]: l.value }]));
  return { ...merged, missing: EXTRACTED_FIELDS.filter((f) => merged.data[f] === null) };
}
