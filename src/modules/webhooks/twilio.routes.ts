import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { TWILIO_SIGNATURE_HEADER, verifyTwilioRequest, type TwilioParams } from '../../providers/twilio/webhook.js';
import { receiveSms, smsStatusChanged } from '../sms/sms.service.js';
import { clientCallStatus, voiceTwiml } from '../voice/client-calls.service.js';

/** Twilio's webhook form: every field a string, a repeated field a list. */
const TwilioForm = z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({});

/** Do nothing: hang up quietly (voice) or send no reply (SMS). */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

const TwiMLResponse = { description: 'TwiML', content: { 'text/xml': { schema: z.string() } } };
const SIGNATURE_NOTE = 'Form-encoded. Authenticated by `X-Twilio-Signature` (HMAC-SHA1 of the URL and sorted parameters with the auth token); 403 otherwise.';

const twiml = (reply: FastifyReply, xml: string) => reply.type('text/xml').send(xml);
/** Twilio's form as single strings (a repeated field keeps its first value). */
const params = (request: FastifyRequest) =>
  Object.fromEntries(Object.entries((request.body ?? {}) as TwilioParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<string, string | undefined>;

/**
 * Incoming Twilio webhooks. Each is verified before anything else: the signature covers our
 * public URL (APP_URL + path + query) and every form parameter, so nothing unsigned is stored.
 */
const twilioWebhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const { config } = app.ctx;

  const verifySignature = async (request: FastifyRequest) => {
    // Twilio posts forms; anything else (a JSON body of any depth) is refused before it is read.
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Twilio webhooks are application/x-www-form-urlencoded');
    }
    const header = request.headers[TWILIO_SIGNATURE_HEADER];
    const signature = Array.isArray(header) ? header[0] : header;
    const params = (request.body ?? {}) as TwilioParams;
    if (!verifyTwilioRequest(config.twilio.authToken, signature, `${config.appUrl}${request.url}`, params)) {
      throw new AppError('FORBIDDEN', 'Invalid Twilio signature');
    }
  };

  const webhook = (summary: string, response: Record<number, unknown>) => ({
    schema: {
      tags: ['Webhooks'],
      security: [{ twilioSignature: [] }],
      summary,
      description: SIGNATURE_NOTE,
      consumes: ['application/x-www-form-urlencoded'],
      body: TwilioForm,
      response: { ...response, ...ErrorResponses },
    },
    preValidation: verifySignature,
  });

  app.post(
    '/api/webhooks/twilio/voice',
    webhook('Twilio voice webhook: TwiML for incoming and browser calls', { 200: TwiMLResponse }),
    async (request, reply) => twiml(reply, await voiceTwiml(app.ctx, params(request))),
  );

  app.post(
    '/api/webhooks/twilio/status',
    webhook('Twilio call status updates (ringing, in-progress, completed…)', { 200: TwiMLResponse }),
    async (request, reply) => {
      await clientCallStatus(app.ctx, params(request));
      return twiml(reply, EMPTY_TWIML);
    },
  );

  app.post(
    '/api/webhooks/twilio/sms-inbound',
    webhook('Inbound SMS to one of our numbers', { 200: TwiMLResponse }),
    async (request, reply) => {
      await receiveSms(app.ctx, params(request));
      return twiml(reply, EMPTY_TWIML);
    },
  );

  app.post(
    '/api/webhooks/twilio/sms-status',
    webhook('SMS delivery status updates (queued, sent, delivered, failed…)', { 200: TwiMLResponse }),
    async (request, reply) => {
      await smsStatusChanged(app.ctx, params(request));
      return twiml(reply, EMPTY_TWIML);
    },
  );
};

export default twilioWebhookRoutes;
