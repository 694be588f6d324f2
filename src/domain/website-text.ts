import type { CheerioAPI } from 'cheerio';

const BLOCKS = 'p, div, li, h1, h2, h3, h4, h5, h6, address, td, th, tr, section, article, header, footer, dt, dd, table, ul, ol, main, aside, nav, blockquote';

/**
 * The page's visible text with one line per block, so patterns do not run across
 * blocks ("123 Main St" + "Austin, TX" stay on separate lines and can be joined on purpose).
 * Works on a copy: the caller's document is left as it was.
 */
export function visibleText($: CheerioAPI): string {
  const body = $('body').clone(); // cheerio's load() always makes a body
  body.find('script, style, noscript, template, svg, iframe').remove();
  body.find('br').replaceWith('\n');
  body.find(BLOCKS).each((_, el) => {
    $(el).prepend('\n').append('\n');
  });
  return body
    .text()
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

const STREET_SUFFIX =
  'St|Street|Ave|Avenue|Blvd|Boulevard|Rd|Road|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|Pkwy|Parkway|Hwy|Highway|Sq|Square|Ter|Terrace|Cir|Circle|Plaza|Trail|Trl|Loop|Row';
const US_ADDRESS = new RegExp(
  String.raw`\b(\d{1,6}\s+(?:[NSEW]\.?\s+)?[A-Z0-9][\w.' -]{0,40}?\s(?:${STREET_SUFFIX})\.?(?:\s+[NSEW]{1,2}\.?)?)` + // street
    String.raw`(?:[,\s]+((?:Suite|Ste\.?|Unit|Apt\.?|Floor|Fl\.?|#)\s*[\w-]+))?` + // unit
    String.raw`[,\s]+([A-Z][A-Za-z .'-]{1,40}?),?\s+([A-Z]{2})\s+(\d{5}(?:-\d{4})?)\b`, // city, ST zip
);

/** The first US street address in text, as one line: "123 Main St, Suite 100, San Francisco, CA 94102". */
export function findUsAddress(text: string): string | null {
  const m = US_ADDRESS.exec(text);
  if (!m) return null;
  const [, street, unit, city, state, zip] = m;
  return [street, unit, city!.trim(), `${state} ${zip}`].filter(Boolean).join(', ');
}

const US_PHONE = /(?:\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

export const findPhone = (text: string) => US_PHONE.exec(text)?.[0] ?? null;
export const findEmail = (text: string) => EMAIL.exec(text)?.[0] ?? null;

/** Words that name a kind of business → our business type; used only when structured data is silent. */
const TYPE_WORDS: Array<[RegExp, string]> = [
  [/\b(?:dentist|dentistry|dental)\b/i, 'dental_office'],
  [/\b(?:law firm|attorneys?|lawyers?|legal services)\b/i, 'law_office'],
  [/\b(?:hair salon|salon|barber(?:shop)?)\b/i, 'salon'],
  [/\b(?:spa|massage)\b/i, 'spa'],
  [/\b(?:veterinar(?:y|ian)|animal hospital)\b/i, 'veterinary_clinic'],
  [/\b(?:clinic|physician|medical|chiropract(?:or|ic)|pediatrics?)\b/i, 'medical_office'],
  [/\b(?:restaurant|bistro|cafe|pizzeria|grill)\b/i, 'restaurant'],
  [/\b(?:auto repair|mechanic|auto body|car repair)\b/i, 'auto_repair'],
  [/\b(?:plumbing|plumber|hvac|electrician|roofing|contractor)\b/i, 'home_services'],
  [/\b(?:real estate|realtor)\b/i, 'real_estate'],
];

/** A business type guessed from the words a business uses for itself (title, headline, description). */
export function businessTypeFromWords(text: string): string | null {
  return TYPE_WORDS.find(([re]) => re.test(text))?.[1] ?? null;
}

const PAGE_WORDS = /^(?:home|home ?page|welcome|index|contact(?: us)?|about(?: us)?|(?:our )?services|hours|locations?|(?:our )?team|blog|faq)$/i;

/** "Home | Acme Dental – Family Dentist" → "Acme Dental"; page names ("Contact Us") are skipped. */
export function nameFromTitle(title: string): string | null {
  const name = title
    .split(/\s+[|\u2013\u2014-]\s+|\s*[|\u2022\u00b7]\s*/) // en and em dash; bullet and middle dot
    .map((part) => part.replace(/^welcome to\s+/i, '').trim())
    .find((part) => part && !PAGE_WORDS.test(part));
  return name && name.length <= 80 ? name : null;
}
