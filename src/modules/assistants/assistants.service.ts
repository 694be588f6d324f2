import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/client.js';
import type { Assistant, FirstMessageMode } from '../../db/schema/index.js';
import { hasFeature, planGateDetails, PLANS, tierForAssistants } from '../../domain/plans.js';
import { AppError, fieldError, notFound } from '../../errors.js';
import type { AuthContext } from '../auth/sessions.js';
import { ProviderError } from '../../providers/errors.js';
import { normalizePrompt } from '../../domain/prompt.js';
import { renderAllSections } from '../../domain/prompt-sections.js';
import {
  applyAssistantChange,
  DEFAULT_ASSISTANT_NAME,
  promptFacts,
  requireActiveAssistant,
  rewriteSections,
  vapiFailure,
} from './assistant-sync.js';
import * as repo from './assistants.repo.js';

export const assistantView = (a: Assistant, callCount: number) => ({
  id: a.id,
  vapiAssistantId: a.vapiAssistantId,
  name: a.name,
  status: a.status,
  callCount,
  firstMessageMode: a.firstMessageMode,
  voiceId: a.voiceId,
  voiceName: a.voiceName,
  createdAt: a.createdAt.toISOString(),
});

export async function listAssistants(ctx: AppContext, auth: AuthContext) {
  const rows = await repo.listAssistantsWithCallCounts(ctx.db, auth.organizationId);
  return {
    assistants: rows.map((r) => assistantView(r.assistant, r.callCount)),
    phoneNumber: await repo.findPhoneNumber(ctx.db, auth.organizationId),
  };
}

/** Registers an assistant that already exists on VAPI, within the plan's assistant limit. */
export async function registerAssistant(ctx: AppContext, auth: AuthContext, input: { vapiAssistantId: string; name: string }) {
  const limit = PLANS[auth.plan].maxAssistants;
  if ((await repo.countAssistants(ctx.db, auth.organizationId)) >= limit) {
    const needed = tierForAssistants(limit);
    throw new AppError('PLAN_REQUIRED', `Your ${PLANS[auth.plan].label} plan allows ${limit} assistant${limit === 1 ? '' : 's'}; the ${PLANS[needed].label} plan allows more`, {
      details: planGateDetails(needed),
    });
  }
  let remote;
  try {
    remote = await ctx.providers.vapi.getAssistant(input.vapiAssistantId);
  } catch (err) {
    if (err instanceof ProviderError && err.notFound) {
      throw fieldError('body.vapiAssistantId', `VAPI has no assistant with id ${input.vapiAssistantId}`, 'BAD_REQUEST');
    }
    throw vapiFailure(err);
  }
  const profile = await repo.getProfile(ctx.db, auth.organizationId);
  const facts = await promptFacts(ctx, auth.organizationId, { name: input.name, tools: remote.tools }, profile);
  const systemPrompt = normalizePrompt(remote.systemPrompt, renderAllSections(facts));
  // VAPI gets the sectioned prompt first, so both sides hold the same text from the start.
  if (systemPrompt !== remote.systemPrompt) {
    try {
      await ctx.providers.vapi.updateAssistant(input.vapiAssistantId, { systemPrompt });
    } catch (err) {
      throw vapiFailure(err);
    }
  }
  try {
    const assistant = await ctx.db.transaction(async (tx) => {
      const row = await repo.insertAssistant(tx, {
        organizationId: auth.organizationId,
        vapiAssistantId: input.vapiAssistantId,
        name: input.name,
        systemPrompt,
        firstMessage: remote.firstMessage ?? null,
        firstMessageMode: remote.firstMessageMode ?? 'assistant-speaks-first',
        voiceId: remote.voiceId ?? null,
        tools: remote.tools,
        toolIds: remote.toolIds,
      });
      await repo.insertPromptVersion(tx, {
        organizationId: auth.organizationId,
        assistantId: row.id,
        userId: auth.userId,
        reason: 'initial',
        systemPrompt,
      });
      return row;
    });
    return { assistant: assistantView(assistant, 0) };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'This VAPI assistant is already registered');
    throw err;
  }
}

export async function renameAssistant(ctx: AppContext, auth: AuthContext, id: string, name: string) {
  const assistant = await repo.findAssistant(ctx.db, auth.organizationId, id);
  if (!assistant) throw notFound('Assistant');
  const updated = await applyAssistantChange(ctx, auth.userId, assistant, { vapi: { name }, row: { name }, reason: 'name' });
  return { assistant: assistantView(updated, 0) };
}

export async function deleteAssistant(ctx: AppContext, auth: AuthContext, id: string) {
  const assistant = await repo.findAssistant(ctx.db, auth.organizationId, id);
  if (!assistant) throw notFound('Assistant');
  try {
    await ctx.providers.vapi.deleteAssistant(assistant.vapiAssistantId);
  } catch (err) {
    // Already gone on VAPI is what we wanted; anything else keeps our row.
    if (!(err instanceof ProviderError && err.notFound)) throw vapiFailure(err);
  }
  await repo.deleteAssistant(ctx.db, auth.organizationId, id);
}

/** Answered from the caller's read alone: the session brings the active assistant. */
export function getAssistantName(auth: AuthContext) {
  const assistant = auth.activeAssistant;
  const defaultName = assistant?.voiceName ?? DEFAULT_ASSISTANT_NAME;
  return { name: assistant?.name ?? defaultName, defaultName, canEdit: hasFeature(auth.plan, 'editAssistantName') };
}

/** Renames the active assistant everywhere it speaks: persona section and greeting. */
export async function setAssistantName(ctx: AppContext, auth: AuthContext, name: string) {
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  const profile = await repo.getProfile(ctx.db, auth.organizationId);
  const facts = await promptFacts(ctx, auth.organizationId, { ...assistant, name }, profile);
  const systemPrompt = rewriteSections(assistant.systemPrompt, facts, ['persona']);
  const firstMessage = assistant.firstMessage?.split(assistant.name).join(name) ?? null;
  await applyAssistantChange(ctx, auth.userId, assistant, {
    vapi: { name, systemPrompt, ...(firstMessage !== null && { firstMessage }) },
    row: { name, systemPrompt, firstMessage },
    reason: 'persona',
  });
}

export async function getFirstMessageMode(ctx: AppContext, auth: AuthContext) {
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  return { mode: assistant.firstMessageMode, firstMessage: assistant.firstMessage ?? '' };
}

export async function setFirstMessageMode(
  ctx: AppContext,
  auth: AuthContext,
  input: { mode: FirstMessageMode; firstMessage?: string },
) {
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  const firstMessage = input.firstMessage ?? assistant.firstMessage;
  await applyAssistantChange(ctx, auth.userId, assistant, {
    vapi: { firstMessageMode: input.mode, ...(firstMessage ? { firstMessage } : {}) },
    row: { firstMessageMode: input.mode, firstMessage },
    reason: 'first-message',
  });
}
