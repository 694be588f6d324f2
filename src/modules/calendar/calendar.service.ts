import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { calendarConnections } from '../../db/schema/index.js';
import { hasFeature } from '../../domain/plans.js';
import { AppError, fieldError } from '../../errors.js';
import { decryptSecret, encryptSecret } from '../../lib/crypto.js';
import { sha256 } from '../../lib/tokens.js';
import { ProviderError } from '../../providers/errors.js';
import type { AuthContext } from '../auth/sessions.js';
import { applyAssistantChange, promptFacts, requireActiveAssistant, rewriteSections } from '../assistants/assistant-sync.js';
import * as assistantsRepo from '../assistants/assistants.repo.js';
import { withCalendarTools, withoutCalendarTools } from './calendar-tools.js';

/** A short fingerprint of ENCRYPTION_KEY: which key sealed a secret, never the key itself. */
export const encryptionKeyId = (keyHex: string) => sha256(`key-id:${keyHex}`).slice(0, 12);

export const findConnection = async (ctx: AppContext, organizationId: string) =>
  (await ctx.db.select().from(calendarConnections).where(eq(calendarConnections.organizationId, organizationId)))[0];

export const calendarApiKey = (ctx: AppContext, connection: { encryptedApiKey: string }) =>
  decryptSecret(connection.encryptedApiKey, ctx.config.encryptionKey);

/** Rewrites the calendar section and swaps the calendar tools in or out, VAPI first. */
async function syncAssistant(ctx: AppContext, auth: AuthContext, connected: boolean) {
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  const tools = connected ? withCalendarTools(assistant.tools) : withoutCalendarTools(assistant.tools);
  const profile = await assistantsRepo.getProfile(ctx.db, auth.organizationId);
  const facts = await promptFacts(ctx, auth.organizationId, { ...assistant, tools }, profile);
  const systemPrompt = rewriteSections(assistant.systemPrompt, facts, ['calendar']);
  return { assistant, change: { vapi: { tools, systemPrompt }, row: { tools, systemPrompt }, reason: 'calendar' } };
}

/** The account's event types, for the owner to pick what callers book (the key is not stored here). */
export async function listEventTypes(ctx: AppContext, apiKey: string) {
  try {
    const eventTypes = await ctx.providers.calcom.listEventTypes(apiKey);
    return eventTypes.map((et) => ({ id: et.id, title: et.title, length: et.lengthInMinutes }));
  } catch (err) {
    if (err instanceof ProviderError && err.status === 401) throw fieldError('body.apiKey', REJECTED_KEY, 'BAD_REQUEST');
    throw new AppError('PROVIDER_ERROR', `Cal.com could not be reached: ${(err as Error).message}`);
  }
}

const REJECTED_KEY = 'Cal.com did not accept this API key. Copy it again from Cal.com (Settings → Developer → API keys) and paste it whole.';

/** Validates the key and event type with Cal.com, stores the key encrypted, adds the booking tools. */
export async function connectCalendar(ctx: AppContext, auth: AuthContext, input: { apiKey: string; eventTypeId: number }) {
  let account;
  try {
    account = await ctx.providers.calcom.validateKey(input.apiKey);
    await ctx.providers.calcom.getEventType(input.apiKey, input.eventTypeId);
  } catch (err) {
    if (err instanceof ProviderError && err.status === 401) throw fieldError('body.apiKey', REJECTED_KEY, 'BAD_REQUEST');
    if (err instanceof ProviderError && err.status === 404) {
      throw fieldError('body.eventTypeId', `Cal.com has no event type ${input.eventTypeId} on this account`, 'BAD_REQUEST');
    }
    throw new AppError('PROVIDER_ERROR', `Cal.com could not be reached: ${(err as Error).message}`);
  }
  const values = {
    provider: 'CAL_COM' as const,
    encryptedApiKey: encryptSecret(input.apiKey, ctx.config.encryptionKey),
    encryptionKeyId: encryptionKeyId(ctx.config.encryptionKey),
    eventTypeId: input.eventTypeId,
    accountEmail: account.email,
    connectedAt: ctx.now(),
  };
  const { assistant, change } = await syncAssistant(ctx, auth, true);
  await applyAssistantChange(ctx, auth.userId, assistant, {
    ...change,
    alsoInTransaction: async (tx) => {
      await tx
        .insert(calendarConnections)
        .values({ organizationId: auth.organizationId, ...values })
        .onConflictDoUpdate({ target: calendarConnections.organizationId, set: values });
    },
  });
  return { success: true as const, provider: 'CAL_COM' as const };
}

export async function disconnectCalendar(ctx: AppContext, auth: AuthContext) {
  if (!(await findConnection(ctx, auth.organizationId))) throw new AppError('NOT_FOUND', 'No calendar is connected');
  const remove = async (tx: Parameters<NonNullable<Parameters<typeof applyAssistantChange>[3]['alsoInTransaction']>>[0]) =>
    void (await tx.delete(calendarConnections).where(eq(calendarConnections.organizationId, auth.organizationId)));
  const assistant = await assistantsRepo.findActiveAssistant(ctx.db, auth.organizationId);
  if (!assistant) {
    await ctx.db.transaction(remove);
    return;
  }
  const { change } = await syncAssistant(ctx, auth, false);
  await applyAssistantChange(ctx, auth.userId, assistant, { ...change, alsoInTransaction: remove });
}

export async function calendarStatus(ctx: AppContext, auth: AuthContext) {
  const connection = await findConnection(ctx, auth.organizationId);
  return {
    connected: Boolean(connection),
    provider: connection ? ('CAL_COM' as const) : null,
    config: connection ? { eventTypeId: connection.eventTypeId } : null,
    connectedAt: connection?.connectedAt.toISOString() ?? null,
    canEdit: hasFeature(auth.plan, 'calendar'),
  };
}

/** The four diagnostic steps; stops at the first failure, naming it. */
export async function testCalendar(ctx: AppContext, auth: AuthContext) {
  const steps: Array<{ name: string; ok: boolean; error?: string }> = [];
  const finish = () => ({ ok: steps.every((s) => s.ok), timestamp: ctx.now().toISOString(), steps });
  const connection = await findConnection(ctx, auth.organizationId);
  steps.push(connection ? { name: 'org_lookup', ok: true } : { name: 'org_lookup', ok: false, error: 'No calendar is connected' });
  if (!connection) return finish();
  const planOk = hasFeature(auth.plan, 'calendar');
  steps.push(planOk ? { name: 'plan_check', ok: true } : { name: 'plan_check', ok: false, error: 'The plan does not include calendar booking' });
  if (!planOk) return finish();
  let apiKey: string;
  try {
    apiKey = calendarApiKey(ctx, connection);
    steps.push({ name: 'credential_decrypt', ok: true });
  } catch (err) {
    steps.push({ name: 'credential_decrypt', ok: false, error: (err as Error).message });
    return finish();
  }
  try {
    await ctx.providers.calcom.getEventType(apiKey, connection.eventTypeId);
    steps.push({ name: 'cal_com_api', ok: true });
  } catch (err) {
    steps.push({ name: 'cal_com_api', ok: false, error: (err as Error).message });
  }
  return finish();
}
