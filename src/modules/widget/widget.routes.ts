import { readFileSync } from 'node:fs';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import { sha256 } from '../../lib/tokens.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { allowedOrigin, originHost } from './domains.js';
import embedTokenRoutes, { tags } from './embed-tokens.routes.js';
import * as service from './embed-tokens.service.js';
import { loadVoiceSdk, SDK_MAX_AGE_SECONDS } from './voice-sdk.js';
import { CorsHeaders, WidgetToken, WidgetTokenBody } from './widget.schemas.js';

/** Token exchanges a minute per embed token (every visitor of the site shares it). */
export const WIDGET_TOKEN_RATE_LIMIT_PER_MIN = 30;
const PREFLIGHT_MAX_AGE_SECONDS = 600;
/** /widget.js has a stable URL that sites paste once: cache briefly, revalidate by ETag. */
const SCRIPT_MAX_AGE_SECONDS = 300;

/** A browser asset of this module, read from src by the built server too. */
function readAsset(name: string) {
  return readFileSync(`${PROJECT_ROOT}/src/modules/widget/${name}`, 'utf8');
}

/**
 * `POST /api/widget/token`: the only cross-origin endpoint of the API. It handles CORS
 * itself (no global CORS plugin; the rest of the API is same-origin):
 * - the preflight is answered for any well-formed http(s) Origin: it carries no body, so no
 *   token to check, and granting it reveals nothing — the POST's answer is readable only if
 *   the POST itself carries Access-Control-Allow-Origin;
 * - the POST checks the `Origin` header (never Referer) against the token's allowed domains
 *   and only then adds Access-Control-Allow-Origin (the exact origin, no credentials), so
 *   401 and 403 answers are unreadable to the page, while 429/409 after the check are readable.
 */
const widgetTokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const rateKeys = new WeakMap<FastifyRequest, string>();
  const limiter = app.createRateLimit({
    max: WIDGET_TOKEN_RATE_LIMIT_PER_MIN,
    timeWindow: 60_000,
    keyGenerator: (request) => rateKeys.get(request) ?? `widget:ip:${request.ip}`,
  });
  async function limitPerToken(request: FastifyRequest, tokenId: string) {
    rateKeys.set(request, `widget:${tokenId}`);
    const result = await limiter(request);
    if (!result.isAllowed && result.isExceeded) {
      throw new AppError('RATE_LIMITED', `Too many calls from this website right now; try again in ${result.ttlInSeconds} seconds`, {
        retryAfterSeconds: result.ttlInSeconds,
      });
    }
  }

  // Every answer depends on the Origin: shared caches must not mix them up.
  app.addHook('onRequest', async (_request, reply) => void reply.header('vary', 'Origin'));

  app.options('/api/widget/token', {
    schema: {
      tags,
      summary: 'CORS preflight for the token exchange',
      description: 'Answered for any http(s) Origin (there is no token to check yet); the POST enforces the token’s allowed domains.',
      headers: CorsHeaders,
      response: { 204: z.null().meta({ description: 'Preflight accepted' }) },
    },
    handler: async (request, reply) => {
      const { origin } = request.headers;
      if (origin && originHost(origin)) {
        void reply
          .header('access-control-allow-origin', origin)
          .header('access-control-allow-methods', 'POST')
          .header('access-control-allow-headers', 'Content-Type')
          .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
      }
      return reply.status(204).send(null);
    },
  });

  app.post('/api/widget/token', {
    schema: {
      tags,
      summary: 'Exchange an embed token for a 1-hour Twilio Voice access token (used by the widget)',
      description:
        'Public and CORS-enabled for the token’s allowed domains only: the browser’s `Origin` must match one of them (Referer is not accepted). ' +
        `401 for an unknown or revoked token, 403 for another origin (without CORS headers), 429 past ${WIDGET_TOKEN_RATE_LIMIT_PER_MIN} exchanges a minute per token, ` +
        '409 while the business has no phone number. The identity is `org_<orgId>:widget_<tokenId>`; its calls reach the business’s own number only.',
      headers: CorsHeaders,
      body: WidgetTokenBody,
      response: { 200: WidgetToken, ...ErrorResponses },
    },
    handler: async (request, reply) => {
      const embed = await service.findLiveEmbedToken(ctx, request.body.embedToken);
      if (!embed) throw new AppError('UNAUTHORIZED', 'Unknown or revoked embed token');
      const { origin } = request.headers;
      const allowed = allowedOrigin(origin, embed.allowedDomains);
      if (!allowed) {
        throw new AppError(
          'FORBIDDEN',
          origin ? `This embed token is not allowed on ${originHost(origin) ?? 'this origin'}` : 'The Origin header is missing: the widget must be used from a web page',
        );
      }
      void reply.header('access-control-allow-origin', allowed).header('access-control-expose-headers', 'Retry-After');
      await limitPerToken(request, embed.id);
      return service.issueWidgetVoiceToken(ctx, embed);
    },
  });
};

/** The embeddable script, the Twilio Voice SDK it loads, and (sandbox only) a page to try it. */
const widgetAssetRoutes: FastifyPluginAsyncZod = async (app) => {
  const sdk = loadVoiceSdk();
  // The snippet works as pasted: the script loads our copy of the SDK unless `data-sdk` names
  // another. Not in the sandbox, whose voice tokens no real Twilio accepts: there the widget
  // exchanges its token and says that no audio call was placed.
  const defaultSdk = app.ctx.config.sandbox ? '' : sdk.path;
  const script = readAsset('widget.js').replace("var DEFAULT_SDK_PATH = '';", `var DEFAULT_SDK_PATH = ${JSON.stringify(defaultSdk)};`);
  const etag = `"${sha256(script).slice(0, 32)}"`;

  app.get('/widget.js', {
    schema: {
      tags,
      summary: 'The click-to-call widget script',
      description:
        'Paste `<script src="APP_URL/widget.js" data-token="ept_…" async></script>` into a page whose host is one of the token’s allowed domains. ' +
        'Optional attributes: `data-label` (button text), `data-position="left"`, `data-sdk` (URL of another copy of the Twilio Voice JS SDK 2.x; by default the script loads ours, and none when the page already has one).',
      headers: z.looseObject({ 'if-none-match': z.string().optional() }),
      response: {
        200: { description: 'JavaScript', content: { 'application/javascript': { schema: z.string() } } },
        304: z.null().meta({ description: 'Not modified (ETag)' }),
      },
    },
    handler: async (request, reply) => {
      void reply
        .header('cache-control', `public, max-age=${SCRIPT_MAX_AGE_SECONDS}`)
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff')
        .header('cross-origin-resource-policy', 'cross-origin');
      const match = request.headers['if-none-match'];
      if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.status(304).send(null);
      return reply.type('application/javascript; charset=utf-8').send(script);
    },
  });

  app.get(sdk.path, {
    schema: { hide: true },
    handler: async (request, reply) => {
      void reply
        .header('cache-control', `public, max-age=${SDK_MAX_AGE_SECONDS}, immutable`)
        .header('x-content-type-options', 'nosniff')
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('vary', 'Accept-Encoding')
        .type('application/javascript; charset=utf-8');
      const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
      return gzip ? reply.header('content-encoding', 'gzip').send(sdk.gzipped()) : reply.send(sdk.body);
    },
  });

  if (!app.ctx.config.sandbox) return;
  const demo = readAsset('widget-demo.html');
  app.get('/widget-demo', {
    schema: {
      hide: true,
      querystring: z.looseObject({ token: z.string().max(200).optional() }),
      response: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } } },
    },
    handler: async (_request, reply) => reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(demo),
  });
};

/** The "Widget & Embed Tokens" group, the widget script and its sandbox demo page. */
const widgetRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(embedTokenRoutes);
  await app.register(widgetTokenRoutes);
  await app.register(widgetAssetRoutes);
};

export default widgetRoutes;
