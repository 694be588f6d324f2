import type { AppContext } from '../../context.js';
import { hasFeature, minimumTierFor, planGateDetails } from '../../domain/plans.js';
import { AppError, notFound } from '../../errors.js';
import { randomBase62, sha256 } from '../../lib/tokens.js';
import { findPhoneNumber } from '../assistants/assistants.repo.js';
import type { AuthContext } from '../auth/sessions.js';
import * as repo from './embed-tokens.repo.js';

export const EMBED_TOKEN_PREFIX = 'ept_';
/** Characters of the token kept in clear to recognise it in the list: `ept_` + 8 random. */
const SHOWN_PREFIX_LENGTH = 12;
/** Voice access tokens for the widget live one hour; the widget refreshes them before expiry. */
export const WIDGET_TOKEN_TTL_SECONDS = 3600;
/** last_used_at is written at most once a minute per token. */
const LAST_USED_GRANULARITY_MS = 60_000;

const view = (t: repo.EmbedToken) => ({
  id: t.id,
  label: t.label,
  tokenPrefix: t.tokenPrefix,
  allowedDomains: t.allowedDomains,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
});

export async function listEmbedTokens(ctx: AppContext, auth: AuthContext) {
  return { tokens: (await repo.listLive(ctx.db, auth.organizationId)).map(view) };
}

/**
 * Creates a token and returns it in full: the only time it is ever shown; the database
 * keeps its SHA-256. `allowedDomains` is already normalized (schemas).
 */
export async function createEmbedToken(ctx: AppContext, auth: AuthContext, input: { label?: string; allowedDomains: string[] }) {
  const token = `${EMBED_TOKEN_PREFIX}${randomBase62(32)}`;
  const row = await repo.insert(ctx.db, {
    organizationId: auth.organizationId,
    createdBy: auth.userId,
    label: input.label ?? input.allowedDomains[0]!,
    tokenPrefix: token.slice(0, SHOWN_PREFIX_LENGTH),
    tokenHash: sha256(token),
    allowedDomains: input.allowedDomains,
  });
  return { token, prefix: row.tokenPrefix, label: row.label };
}

/** Immediate: the next exchange with the token finds no live row. */
export async function revokeEmbedToken(ctx: AppContext, auth: AuthContext, id: string) {
  if (!(await repo.revoke(ctx.db, auth.organizationId, id))) throw notFound('Embed token');
}

export type LiveEmbedToken = NonNullable<Awaited<ReturnType<typeof repo.findLiveByHash>>>;

/** The live token behind a raw `ept_…` value, or undefined (unknown, malformed or revoked). */
export async function findLiveEmbedToken(ctx: AppContext, raw: string): Promise<LiveEmbedToken | undefined> {
  if (!raw.startsWith(EMBED_TOKEN_PREFIX)) return undefined;
  return repo.findLiveByHash(ctx.db, sha256(raw));
}

/**
 * A Twilio Voice access token for a widget visitor, who may only call the business's own
 * number (the voice webhook dials it for any `…:widget_…` identity). The caller has
 * already checked the token's origin and rate limit.
 */
export async function issueWidgetVoiceToken(ctx: AppContext, embed: LiveEmbedToken) {
  if (!hasFeature(embed.plan, 'embedWidget')) {
    throw new AppError('PLAN_REQUIRED', 'Calling from the website is not available on this business’s plan', {
      details: planGateDetails(minimumTierFor('embedWidget'), 'embedWidget'),
    });
  }
  const phoneNumber = await findPhoneNumber(ctx.db, embed.organizationId);
  if (!phoneNumber) throw new AppError('CONFLICT', 'This business has no phone number yet, so it cannot take calls from its website');
  const identity = `org_${embed.organizationId}:widget_${embed.id}`;
  const voice = await ctx.providers.twilio.createVoiceToken({ identity, ttlSeconds: WIDGET_TOKEN_TTL_SECONDS, incomingAllow: false });
  await repo.touch(ctx.db, embed.organizationId, embed.id, ctx.now(), LAST_USED_GRANULARITY_MS);
  return { token: voice.token, identity, phoneNumber, orgName: embed.orgName, expiresIn: voice.expiresIn };
}
