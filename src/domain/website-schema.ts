import type { CheerioAPI, Cheerio } from 'cheerio';
import type { Element } from 'domhandler';

/** A schema.org node as JSON-LD gives it; microdata is converted to the same shape. */
export type SchemaNode = Record<string, unknown>;

/** schema.org types → our business types (the values `businessType` holds, e.g. "dental_office"). */
const TYPE_MAP: Record<string, string> = {
  Dentist: 'dental_office',
  DentalClinic: 'dental_office',
  Orthodontist: 'dental_office',
  HairSalon: 'salon',
  BeautySalon: 'salon',
  NailSalon: 'salon',
  HealthAndBeautyBusiness: 'salon',
  DaySpa: 'spa',
  LegalService: 'law_office',
  Attorney: 'law_office',
  Notary: 'law_office',
  MedicalClinic: 'medical_office',
  Physician: 'medical_office',
  MedicalBusiness: 'medical_office',
  Optician: 'medical_office',
  Physiotherapy: 'medical_office',
  VeterinaryCare: 'veterinary_clinic',
  Restaurant: 'restaurant',
  FoodEstablishment: 'restaurant',
  CafeOrCoffeeShop: 'restaurant',
  FastFoodRestaurant: 'restaurant',
  Bakery: 'restaurant',
  BarOrPub: 'restaurant',
  AutoRepair: 'auto_repair',
  AutoBodyShop: 'auto_repair',
  AutomotiveBusiness: 'auto_repair',
  Plumber: 'home_services',
  Electrician: 'home_services',
  HVACBusiness: 'home_services',
  RoofingContractor: 'home_services',
  GeneralContractor: 'home_services',
  HousePainter: 'home_services',
  Locksmith: 'home_services',
  HomeAndConstructionBusiness: 'home_services',
  RealEstateAgent: 'real_estate',
  AccountingService: 'accounting',
  InsuranceAgency: 'insurance',
  FinancialService: 'financial_services',
  ExerciseGym: 'fitness',
  HealthClub: 'fitness',
  LodgingBusiness: 'hotel',
  Hotel: 'hotel',
  ChildCare: 'child_care',
};

/** Types that describe the page or its parts, never the business. */
const NOT_A_BUSINESS = new Set([
  'WebSite', 'WebPage', 'BreadcrumbList', 'ListItem', 'SearchAction', 'ImageObject', 'PostalAddress',
  'GeoCoordinates', 'OpeningHoursSpecification', 'Review', 'AggregateRating', 'Offer', 'Person',
  'ContactPoint', 'FAQPage', 'Question', 'Answer', 'Article', 'BlogPosting', 'VideoObject', 'SiteNavigationElement',
]);

export const typesOf = (node: SchemaNode): string[] =>
  ([] as unknown[]).concat(node['@type'] ?? []).flatMap((t) => (typeof t === 'string' ? [t.replace(/^.*[/#]/, '')] : []));

/** Our business type for the node's schema.org type(s), or null for a generic one. */
export function businessTypeOf(node: SchemaNode): string | null {
  for (const t of typesOf(node)) if (TYPE_MAP[t]) return TYPE_MAP[t];
  return null;
}

/** How sure we are that this node is the business: mapped type > LocalBusiness/Store > Organization. */
function businessScore(node: SchemaNode): number {
  const types = typesOf(node);
  if (!types.length || types.every((t) => NOT_A_BUSINESS.has(t))) return 0;
  if (businessTypeOf(node)) return 3;
  if (types.some((t) => /Business|Store|Service|Clinic|Office|Agency|Shop/.test(t))) return 2;
  if (types.some((t) => /Organization|Corporation/.test(t))) return 1;
  return 0;
}

/** Every node in a JSON-LD value: arrays, @graph and nested objects. */
function collectNodes(value: unknown, out: SchemaNode[]) {
  if (Array.isArray(value)) value.forEach((v) => collectNodes(v, out));
  else if (value && typeof value === 'object') {
    const node = value as SchemaNode;
    if (node['@type']) out.push(node);
    for (const [key, v] of Object.entries(node)) if (key !== '@context') collectNodes(v, out);
  }
}

/** The JSON-LD node that most likely describes the business, if any. Broken JSON blocks are skipped. */
export function jsonLdBusiness($: CheerioAPI): SchemaNode | undefined {
  const nodes: SchemaNode[] = [];
  $('script[type="application/ld+json"]').each((_, el) => {
    const raw = $(el).text().replace(/^\s*(?:<!--|\/\/\s*<!\[CDATA\[)|(?:-->|\/\/\s*\]\]>)\s*$/g, '');
    try {
      collectNodes(JSON.parse(raw), nodes);
    } catch {
      // Hand-written JSON-LD is often invalid; the rest of the page still counts.
    }
  });
  return best(nodes);
}

function best(nodes: SchemaNode[]): SchemaNode | undefined {
  let winner: SchemaNode | undefined;
  let top = 0;
  for (const node of nodes) {
    const score = businessScore(node);
    if (score > top) [winner, top] = [node, score];
  }
  return winner;
}

function itemValue($: CheerioAPI, el: Cheerio<Element>): unknown {
  if (el.is('[itemscope]')) return microdataNode($, el);
  const attr = el.attr('content') ?? el.attr('datetime');
  if (attr !== undefined) return attr.trim();
  const href = el.is('a, link') ? el.attr('href') : undefined;
  if (href) return href.replace(/^(?:tel|mailto):/i, '').trim();
  return el.text().replace(/\s+/g, ' ').trim();
}

/** One itemscope as a JSON-LD-like node; properties of nested scopes stay with them. */
function microdataNode($: CheerioAPI, scope: Cheerio<Element>): SchemaNode {
  const node: SchemaNode = { '@type': (scope.attr('itemtype') ?? '').split(/\s+/).filter(Boolean) };
  const own = scope.find('[itemprop]').filter((_, p) => $(p).parent().closest('[itemscope]')[0] === scope[0]);
  own.each((_, p) => {
    const value = itemValue($, $(p));
    for (const name of ($(p).attr('itemprop') ?? '').split(/\s+/).filter(Boolean)) {
      const prev = node[name];
      node[name] = prev === undefined ? value : ([] as unknown[]).concat(prev, [value]);
    }
  });
  return node;
}

/** The microdata item that most likely describes the business, if any. */
export function microdataBusiness($: CheerioAPI): SchemaNode | undefined {
  const nodes = $('[itemscope][itemtype]')
    .filter((_, el) => !$(el).is('[itemprop]'))
    .toArray()
    .map((el) => microdataNode($, $(el)));
  return best(nodes);
}
