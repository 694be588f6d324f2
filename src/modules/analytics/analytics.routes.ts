import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { AnalyticsQuery, AnalyticsResponse } from './analytics.schemas.js';
import { getAnalytics } from './analytics.service.js';

/** "Analytics" (Advanced and up): what happened on the phone over a range of days. */
const analyticsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/analytics', {
    preValidation: app.requireFeature('analytics'),
    schema: {
      tags: ['Analytics'],
      security: [{ session: [] }],
      summary: 'Calls, minutes, business-hours split, outcomes, bookings, busiest hours and repeat callers (Advanced+)',
      description:
        '`from`/`to` are local days (YYYY-MM-DD, both included, at most 366 days; default the last 30). ' +
        '`tz` (IANA) sets how days and the weekday × hour grid are read; default the business time zone. ' +
        'In/out of business hours is always judged on the business clock.',
      querystring: AnalyticsQuery,
      response: { 200: AnalyticsResponse, ...ErrorResponses },
    },
    handler: (request) => getAnalytics(ctx, authOf(request).organizationId, request.query),
  });
};

export default analyticsRoutes;
