import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Db } from '../../db/client.js';
import { sha256 } from '../../lib/tokens.js';
import { sandboxStore } from '../store.js';
import { HOST_TIME_ZONE } from './schedule.js';

/** What the Cal.com emulator keeps, shaped as API v2 answers it, so documents go out as stored. */

export interface UserDoc extends Record<string, unknown> {
  id: number;
  username: string;
  email: string;
  name: string;
  timeFormat: number;
  defaultScheduleId: number;
  weekStart: string;
  timeZone: string;
  organizationId: null;
}

export interface EventTypeDoc extends Record<string, unknown> {
  id: number;
  title: string;
  slug: string;
  lengthInMinutes: number;
  description: string;
  ownerId: number;
}

export interface BookingDoc extends Record<string, unknown> {
  id: number;
  uid: string;
  title: string;
  status: 'accepted' | 'cancelled';
  start: string;
  end: string;
  duration: number;
  eventTypeId: number;
}

/** The event types every sandbox account starts with. */
const SEED_EVENT_TYPES = [
  { id: 1001, title: '30 Minute Meeting', slug: '30min', lengthInMinutes: 30 },
  { id: 1002, title: '60 Minute Consultation', slug: '60min-consultation', lengthInMinutes: 60 },
];

export function calcomStores(db: Db) {
  return {
    /** Keyed by the API key's hash: the key itself is never stored. */
    users: sandboxStore<UserDoc>(db, 'calcom', 'user'),
    /** Keyed `<userId>:<eventTypeId>`: each account sees its own 1001 and 1002. */
    eventTypes: sandboxStore<EventTypeDoc>(db, 'calcom', 'event_type'),
    /** Keyed by uid, owned by the user id. */
    bookings: sandboxStore<BookingDoc>(db, 'calcom', 'booking'),
    counters: sandboxStore<{ value: number }>(db, 'calcom', 'counter'),
  };
}
export type CalcomStores = ReturnType<typeof calcomStores>;

/** Sandbox keys look like real ones: `cal_live_…` or `cal_test_…`. */
export const API_KEY = /^cal_(live|test)_\S+$/;

/** The account behind a key, created with its seed event types on first use (upserts: safe to race). */
export async function accountFor(stores: CalcomStores, apiKey: string): Promise<UserDoc> {
  const keyHash = sha256(apiKey);
  const existing = await stores.users.get(keyHash);
  if (existing) return existing;
  const id = 100_000 + (parseInt(keyHash.slice(0, 8), 16) % 900_000);
  const handle = `sandbox-${keyHash.slice(0, 6)}`;
  const user: UserDoc = {
    id,
    username: handle,
    email: `${handle}@example.com`,
    name: `Sandbox Host ${keyHash.slice(0, 6)}`,
    timeFormat: 12,
    defaultScheduleId: id,
    weekStart: 'Sunday',
    timeZone: HOST_TIME_ZONE,
    organizationId: null,
  };
  for (const seed of SEED_EVENT_TYPES) {
    await stores.eventTypes.put(`${id}:${seed.id}`, { ...seed, description: '', ownerId: id }, String(id));
  }
  return stores.users.put(keyHash, user, String(id));
}

const EXCEPTIONS: Record<number, [code: string, reason: string]> = {
  400: ['BadRequestException', 'Bad Request'],
  401: ['UnauthorizedException', 'Unauthorized'],
  404: ['NotFoundException', 'Not Found'],
  409: ['ConflictException', 'Conflict'],
  500: ['InternalServerErrorException', 'Internal Server Error'],
};

/** An error Cal.com's NestJS API would throw; answered in its envelope. */
export class CalcomApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const pathOf = (request: FastifyRequest) => request.url.replace(/^\/sandbox\/calcom/, '');

/** `{status:"error", timestamp, path, error:{code, message, details}}`, as API v2 answers errors. */
export function errorEnvelope(app: FastifyInstance, request: FastifyRequest, statusCode: number, message: string) {
  const [code, reason] = EXCEPTIONS[statusCode] ?? ['HttpException', 'Error'];
  return {
    status: 'error',
    timestamp: app.ctx.now().toISOString(),
    path: pathOf(request),
    error: { code, message, details: { message, error: reason, statusCode } },
  };
}

/** Nest answers an unmatched route (or a missing `cal-api-version`) with `Cannot GET /path`. */
export const routeNotFound = (request: FastifyRequest) => new CalcomApiError(404, `Cannot ${request.method} ${pathOf(request)}`);

/** Endpoints exist only under the `cal-api-version` they were released with. */
export function requireVersion(request: FastifyRequest, version: string) {
  if (request.headers['cal-api-version'] !== version) throw routeNotFound(request);
}

export function installCalcomErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof CalcomApiError) return reply.status(err.statusCode).send(errorEnvelope(app, request, err.statusCode, err.message));
    if (hasZodFastifySchemaValidationErrors(err)) {
      const message = err.validation
        .map((v) => `${String(v.instancePath).split('/').filter(Boolean).join('.') || err.validationContext} property is wrong,${v.message}`)
        .join(', ');
      return reply.status(400).send(errorEnvelope(app, request, 400, message));
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return reply.status(status).send(errorEnvelope(app, request, status, (err as Error).message));
    app.log.error({ err }, 'calcom emulator error');
    return reply.status(500).send(errorEnvelope(app, request, 500, 'Internal server error'));
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorEnvelope(app, request, 404, routeNotFound(request).message)));
}
