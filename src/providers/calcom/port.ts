import { ProviderError } from '../errors.js';

/** The Cal.com user an API key belongs to. */
export interface CalcomAccount {
  id: number;
  email: string;
  username: string | null;
  timeZone: string;
}

export interface CalcomEventType {
  id: number;
  title: string;
  slug: string;
  lengthInMinutes: number;
}

export interface SlotQuery {
  eventTypeId: number;
  /** First day, YYYY-MM-DD. */
  start: string;
  /** Last day (inclusive), YYYY-MM-DD. */
  end: string;
  /** IANA zone the slot times are written in (and the days grouped by). */
  timeZone: string;
}

export interface BookingRequest {
  eventTypeId: number;
  /** A slot start, as an instant (any offset; sent to Cal.com in UTC). */
  start: string;
  /** Give an email or a phone number (or both): callers often have only a phone. */
  attendee: { name: string; email?: string; phoneNumber?: string; timeZone: string };
  /** Only for event types that offer several lengths; Cal.com refuses it otherwise. */
  lengthInMinutes?: number;
}

export interface CalcomBooking {
  id: number;
  uid: string;
  /** UTC ISO instants. */
  start: string;
  end: string;
  status: 'accepted' | 'pending' | 'cancelled' | 'rejected';
}

/** Cal.com refused a booking because the time is taken or outside the host's availability. */
export class SlotUnavailableError extends ProviderError {}

/**
 * Cal.com (API v2) in our vocabulary. Every business connects its own Cal.com account, so
 * each call takes that business's API key. Failures are ProviderError with the HTTP status.
 */
export interface CalcomProvider {
  /** The account behind an API key; a rejected key is a ProviderError with status 401. */
  validateKey(apiKey: string): Promise<CalcomAccount>;
  /** The account's event types (what callers can book), as Cal.com lists them; a rejected key is a ProviderError with status 401. */
  listEventTypes(apiKey: string): Promise<CalcomEventType[]>;
  /** One event type of that account; unknown ids are a ProviderError with status 404. */
  getEventType(apiKey: string, eventTypeId: number): Promise<CalcomEventType>;
  /** Free slot starts in the range, earliest first, written in the query's time zone. */
  listSlots(apiKey: string, query: SlotQuery): Promise<string[]>;
  /** Books a slot; a taken or unavailable time throws SlotUnavailableError. */
  createBooking(apiKey: string, booking: BookingRequest): Promise<CalcomBooking>;
}
