/**
 * Descriptions for request parameters whose route schema gives none, by name (and, where a
 * name means something else on one path, by path and name). The OpenAPI test fails on any
 * parameter still undescribed, so a new one gets a line here or a `.describe()` at its route.
 */
const BY_NAME: Record<string, string> = {
  limit: 'Largest number of items to return',
  cursor: 'Opaque cursor from the previous page (`nextCursor`); omit for the first page',
  page: 'Page number, from 1',
  q: 'Free-text search',
  search: 'Free-text search over organization names',
  status: 'Only items with this status',
  direction: 'Only inbound or only outbound',
  from: 'Start of the range (ISO date or date-time)',
  to: 'End of the range (ISO date or date-time)',
  tz: 'IANA time zone the days are counted in, e.g. America/New_York',
  days: 'How many days back to count',
  date: 'The day (YYYY-MM-DD)',
  callId: 'Id of the call',
  assignedTo: 'Only follow-ups assigned to this user id',
  category: 'Only calls whose outcome has this category',
  followUp: 'Only calls whose follow-up is open, or done',
  number: 'The other party’s phone number (E.164)',
  areaCode: 'Three-digit area code to search in',
  locality: 'City to search in',
  token: 'The single-use token from the emailed link',
  section: 'Knowledge-base section to delete',
  vapiCallId: 'Id of the outbound call as returned when it was placed',
  messageSid: 'Only deliveries for this Twilio message SID',
  origin: 'The page’s origin, checked against the embed token’s allowed domains',
  'if-none-match': 'ETag of a cached copy; answered 304 when unchanged',
};

const BY_PATH: Record<string, string> = {
  '/sandbox/mail to': 'Only mail sent to this address',
  '/api/embed-token id': 'Id of the embed token to revoke',
};

/** "/api/webhook-endpoints/:id/test" → "Id of the webhook endpoint". */
function pathIdDescription(url: string, name: string): string | undefined {
  const segments = url.split('/');
  const at = segments.findIndex((s) => s === `:${name}` || s === `{${name}}`);
  if (name !== 'id' || at < 1) return undefined;
  const noun = segments[at - 1]!.replace(/ies$/, 'y').replace(/s$/, '').replace(/-/g, ' ').replace(/^api /, 'API ');
  return `Id of the ${noun}`;
}

export function parameterDescription(url: string, name: string): string | undefined {
  return BY_PATH[`${url} ${name}`] ?? pathIdDescription(url, name) ?? BY_NAME[name];
}

/** Fills `description` on each undescribed property of a params/querystring/headers JSON schema. */
export function describeParameters(url: string, schema: unknown): unknown {
  const properties = (schema as { properties?: Record<string, Record<string, unknown>> } | undefined)?.properties;
  if (!properties) return schema;
  const described = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => {
      const description = property.description ?? parameterDescription(url, name);
      return [name, description ? { ...property, description } : property];
    }),
  );
  return { ...(schema as object), properties: described };
}
