/**
 * The emulator's stock of US local numbers: for each area code, the 555-01XX block (reserved
 * for fiction, so no real line is ever shown), with the city, state and ZIP of that area code.
 * Area codes missing below are still served, without a city, as Twilio does for numbers whose
 * locality it does not know.
 */

interface Area {
  locality: string;
  region: string;
  postalCode: string;
}

const AREAS: Record<string, Area> = {
  '206': { locality: 'Seattle', region: 'WA', postalCode: '98101' },
  '212': { locality: 'New York', region: 'NY', postalCode: '10001' },
  '213': { locality: 'Los Angeles', region: 'CA', postalCode: '90012' },
  '214': { locality: 'Dallas', region: 'TX', postalCode: '75201' },
  '303': { locality: 'Denver', region: 'CO', postalCode: '80202' },
  '305': { locality: 'Miami', region: 'FL', postalCode: '33130' },
  '310': { locality: 'Santa Monica', region: 'CA', postalCode: '90401' },
  '312': { locality: 'Chicago', region: 'IL', postalCode: '60601' },
  '404': { locality: 'Atlanta', region: 'GA', postalCode: '30303' },
  '415': { locality: 'San Francisco', region: 'CA', postalCode: '94103' },
  '503': { locality: 'Portland', region: 'OR', postalCode: '97204' },
  '512': { locality: 'Austin', region: 'TX', postalCode: '78701' },
  '602': { locality: 'Phoenix', region: 'AZ', postalCode: '85004' },
  '612': { locality: 'Minneapolis', region: 'MN', postalCode: '55401' },
  '615': { locality: 'Nashville', region: 'TN', postalCode: '37203' },
  '617': { locality: 'Boston', region: 'MA', postalCode: '02108' },
  '619': { locality: 'San Diego', region: 'CA', postalCode: '92101' },
  '702': { locality: 'Las Vegas', region: 'NV', postalCode: '89101' },
  '713': { locality: 'Houston', region: 'TX', postalCode: '77002' },
  '720': { locality: 'Denver', region: 'CO', postalCode: '80202' },
};

const BLOCK_SIZE = 100;

/** The JSON Twilio answers for one available local number. */
export interface AvailableNumberJson {
  friendly_name: string;
  phone_number: string;
  lata: null;
  locality: string | null;
  rate_center: string | null;
  latitude: string | null;
  longitude: string | null;
  region: string | null;
  postal_code: string | null;
  iso_country: 'US';
  address_requirements: 'none';
  beta: false;
  capabilities: { voice: true; SMS: true; MMS: true };
}

function availableNumber(areaCode: string, line: string): AvailableNumberJson {
  const area = AREAS[areaCode];
  return {
    friendly_name: `(${areaCode}) 555-${line}`,
    phone_number: `+1${areaCode}555${line}`,
    lata: null,
    locality: area?.locality ?? null,
    rate_center: area?.locality.toUpperCase() ?? null,
    latitude: null,
    longitude: null,
    region: area?.region ?? null,
    postal_code: area?.postalCode ?? null,
    iso_country: 'US',
    address_requirements: 'none',
    beta: false,
    capabilities: { voice: true, SMS: true, MMS: true },
  };
}

/**
 * City, state, ZIP and country of a US number as Twilio puts them in an inbound webhook
 * (its From… and To… parameters): empty strings where the area is not known.
 */
export function geographyOf(e164: string): { City: string; State: string; Zip: string; Country: string } {
  const us = /^\+1(\d{3})/.exec(e164);
  const area = us ? AREAS[us[1]!] : undefined;
  return { City: area?.locality.toUpperCase() ?? '', State: area?.region ?? '', Zip: area?.postalCode ?? '', Country: us ? 'US' : '' };
}

/** Area codes to draw from: the one asked for, else those of the city asked for, else all known. */
function areaCodesFor(areaCode?: string, locality?: string): string[] {
  const inLocality = (code: string) => !locality || AREAS[code]?.locality.toLowerCase() === locality.trim().toLowerCase();
  if (areaCode) return inLocality(areaCode) ? [areaCode] : [];
  return Object.keys(AREAS).filter(inLocality);
}

/** Numbers for sale matching the search, skipping those already owned, at most `limit`. */
export function availableNumbers(search: { areaCode?: string; locality?: string; limit: number }, owned: Set<string>) {
  const found: AvailableNumberJson[] = [];
  for (const areaCode of areaCodesFor(search.areaCode, search.locality)) {
    for (let i = 0; i < BLOCK_SIZE && found.length < search.limit; i++) {
      const line = String(100 + i).padStart(4, '0');
      if (!owned.has(`+1${areaCode}555${line}`)) found.push(availableNumber(areaCode, line));
    }
  }
  return found;
}
