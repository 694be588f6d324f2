import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../../config.js';
import { safeEqual } from '../../lib/tokens.js';
import { installFaults } from '../faults.js';
import a2pRoutes from './a2p.js';
import { backgroundTasks } from './callbacks.js';
import messageRoutes from './messages.js';
import messagingServiceRoutes from './messaging-services.js';
import numberRoutes from './numbers.js';
import simulateRoutes from './simulate.js';
import { installTap } from '../tap.js';
import trunkRoutes from './trunks.js';
import { errorBody, installTwilioErrorHandler, notFound, twilioPath } from './shared.js';

/** True for HTTP Basic with accountSid:authToken or apiKey:apiSecret, as Twilio accepts both. */
function authenticated(request: FastifyRequest, twilio: Config['twilio']): boolean {
  const encoded = /^Basic (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!encoded) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  const pairs = [
    [twilio.accountSid, twilio.authToken],
    [twilio.apiKey, twilio.apiSecret],
  ];
  return pairs.some(([u, p]) => Boolean(u && p) && safeEqual(user, u!) && safeEqual(password, p!));
}

/**
 * Emulator of the Twilio APIs we use, at /sandbox/twilio/<host>/…: the SDK's requests to
 * https://<host>.twilio.com/… arrive here with the host's first label as a path segment
 * (api: numbers and messages, trunking, messaging: services and A2P, trusthub). State lives in
 * sandbox_resources. Sandbox extras (no key): POST /simulate-inbound-sms, GET /deliveries.
 */
const twilioEmulator: FastifyPluginAsyncZod = async (app) => {
  installTwilioErrorHandler(app);
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(404, 20404, `The requested resource ${twilioPath(request.url)} was not found`)),
  );
  const injectFault = installFaults(app);
  const background = backgroundTasks(app);

  // The API proper: faults first (as a rate limiter in front of Twilio would), then Basic auth.
  await app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      if (injectFault(reply)) return reply;
      if (!authenticated(request, app.ctx.config.twilio)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Basic realm="Twilio API"')
          .send(errorBody(401, 20003, 'Authenticate'));
      }
    });
    installTap(api, 'twilio');
    // The 2010 API names the account in the path: the emulator holds only ours.
    await api.register(
      async (v2010) => {
        v2010.addHook('onRequest', async (request) => {
          const { accountSid } = request.params as { accountSid: string };
          if (accountSid !== app.ctx.config.twilio.accountSid) throw notFound(twilioPath(request.url));
        });
        await v2010.register(numberRoutes);
        await v2010.register(messageRoutes, { background });
      },
      { prefix: '/api/2010-04-01/Accounts/:accountSid' },
    );
    await api.register(trunkRoutes, { prefix: '/trunking/v1' });
    await api.register(messagingServiceRoutes, { prefix: '/messaging/v1' });
    await api.register(a2pRoutes);
  });
  await app.register(simulateRoutes);
};

export default twilioEmulator;
