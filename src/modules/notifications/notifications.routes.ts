import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES, NOTIFY_TRIGGERS } from '../../db/schema/index.js';
import { HHMM } from '../../domain/quiet-hours.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { E164 } from '../calls/calls.routes.js';
import * as service from './notifications.service.js';
import { kickNotifications, stopNotificationKicks } from './notifications.worker.js';

const tags = ['Notifications'];
const security = [{ session: [] }];

const QuietHours = z.object({ start: z.string().regex(HHMM, 'Must be HH:MM (24 h)'), end: z.string().regex(HHMM, 'Must be HH:MM (24 h)') });
const Preferences = z.object({
  email: z.boolean(),
  sms: z.boolean(),
  smsNumber: z.string().nullable(),
  trigger: z.enum(NOTIFY_TRIGGERS),
  quietHours: QuietHours.nullable(),
});
const PreferencesBody = z
  .object({
    email: z.boolean(),
    sms: z.boolean(),
    smsNumber: E164.nullish(),
    trigger: z.enum(NOTIFY_TRIGGERS),
    quietHours: QuietHours.nullish(),
  })
  .refine((b) => !b.sms || b.smsNumber, { message: 'Is required when text alerts are on', path: ['smsNumber'] });

/** How long after ready the start-up kick waits. */
const STARTUP_KICK_DELAY_MS = 1_000;

/** Per-user instant notifications after calls, and what was sent. */
const notificationsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  // After a restart, send what a crash left queued without waiting for the minute tick, but a
  // moment after start: its first statements (~50 ms on a cold PGlite) would hold up the first
  // requests, a load balancer's probes among them. A kick after close does nothing.
  app.addHook('onReady', async () => {
    setTimeout(() => kickNotifications(ctx), STARTUP_KICK_DELAY_MS).unref();
  });
  app.addHook('onClose', () => stopNotificationKicks(ctx));

    app.get('/api/notifications/preferences', {
      preValidation: app.requireSession,
      schema: { tags, security, summary: 'Your notification preferences (defaults until you save)', response: { 200: z.object({ preferences: Preferences }), ...ErrorResponses } },
      handler: (request) => service.getPreferences(ctx, authOf(request)),
    });

    app.put('/api/notifications/preferences', {
      preValidation: app.requireSession,
      schema: {
        tags,
        security,
        summary: "Set how you hear about calls: email and/or SMS, for every call or only follow-ups; quiet hours (the organization's time zone) hold SMS",
        body: PreferencesBody,
        response: { 200: z.object({ preferences: Preferences }), ...ErrorResponses },
      },
      handler: (request) => service.putPreferences(ctx, authOf(request), request.body),
    });

    app.get('/api/notifications', {
      preValidation: app.requireSession,
      schema: {
        tags,
        security,
        summary: "Notifications queued and sent for a call (404 for another organization's call), or the latest 100",
        description: "A member sees a colleague's email address, but of a colleague's mobile number only the last four digits (`•••4321`).",
        querystring: z.object({ callId: z.uuid('Not a valid id').optional() }),
        response: {
          200: z.object({
            notifications: z.array(
              z.object({
                id: z.string(),
                callId: z.string(),
                userId: z.string(),
                channel: z.enum(NOTIFICATION_CHANNELS),
                to: z.string(),
                status: z.enum(NOTIFICATION_STATUSES),
                attempts: z.number(),
                nextAttemptAt: z.string().nullable(),
                lastError: z.string().nullable(),
                createdAt: z.string(),
                sentAt: z.string().nullable(),
              }),
            ),
          }),
          ...ErrorResponses,
        },
      },
      handler: (request) => service.listNotifications(ctx, authOf(request), request.query.callId),
    });
};

export default notificationsRoutes;
