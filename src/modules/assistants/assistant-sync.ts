import type { AppContext } from '../../context.js';
import type { Assistant, BusinessProfile } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { renderAllSections, type PromptFacts } from '../../domain/prompt-sections.js';
import { replaceSection, type PromptSection } from '../../domain/prompt.js';
import { ProviderError } from '../../providers/errors.js';
import type { AssistantSpec } from '../../providers/vapi/port.js';
import * as repo from './assistants.repo.js';
import { kbLabel } from '../../domain/knowledge.js';
import type { Tx } from '../../db/client.js';
import { callHandlingFacts } from '../insights/call-handling.repo.js';

export const DEFAULT_ASSISTANT_NAME = 'Savannah';

/** The facts every managed prompt section is written from, for one organization. */
export async function promptFacts(
  ctx: AppContext,
  organizationId: string,
  assistant: Pick<Assistant, 'name' | 'tools'> & { id?: string } | undefined,
  profile: BusinessProfile,
): Promise<PromptFacts> {
  const knowledgeKeys = assistant?.id ? await repo.listKbKeys(ctx.db, assistant.id) : [];
  return {
    assistantName: assistant?.name ?? DEFAULT_ASSISTANT_NAME,
    businessName: await repo.findOrganizationName(ctx.db, organizationId),
    businessType: profile.businessType,
    businessDescription: profile.businessDescription,
    websiteUrl: profile.websiteUrl,
    businessHours: profile.businessHours,
    timezone: profile.timezone,
    businessAddress: profile.businessAddress,
    transferNumber: profile.transferNumber,
    transferMode: profile.transferMode,
    calendarConnected: (assistant?.tools ?? []).some((t) => t.type === 'function' && t.name === 'book_appointment'),
    knowledgeLabels: knowledgeKeys.map(kbLabel),
    ...(await callHandlingFacts(ctx.db, organizationId)),
  };
}

/** Rewrites the given sections of a prompt from the facts, leaving everything else. */
export function rewriteSections(prompt: string, facts: PromptFacts, sections: PromptSection[]) {
  const bodies = renderAllSections(facts);
  return sections.reduce((p, key) => replaceSection(p, key, bodies[key]), prompt);
}

export function vapiFailure(err: unknown): AppError {
  const detail = err instanceof ProviderError ? err.message : 'unexpected error';
  return new AppError('PROVIDER_ERROR', `The voice platform (VAPI) did not accept the change, so nothing was saved: ${detail}`);
}

export interface AssistantChange {
  /** What VAPI must receive; empty means nothing to send. */
  vapi: Partial<AssistantSpec>;
  row: Partial<Pick<Assistant, 'name' | 'systemPrompt' | 'firstMessage' | 'firstMessageMode' | 'voiceId' | 'voiceName' | 'tools' | 'toolIds' | 'kbToolId'>>;
  /** More writes that belong to the same change, in the same transaction. */
  alsoInTransaction?: (tx: Tx) => Promise<void>;
  profile?: Partial<Omit<BusinessProfile, 'organizationId' | 'updatedAt'>>;
  /** Recorded as a prompt version when the prompt changes. */
  reason: string;
}

/**
 * Applies one change to an assistant: VAPI first, then our rows in one transaction, so a
 * VAPI failure (502) leaves both sides as they were. (Not the other way round: holding a
 * transaction open across the HTTP call would also block the single PGlite connection.)
 */
export async function applyAssistantChange(
  ctx: AppContext,
  userId: string | null,
  assistant: Assistant,
  change: AssistantChange,
): Promise<Assistant> {
  if (Object.keys(change.vapi).length > 0) {
    try {
      await ctx.providers.vapi.updateAssistant(assistant.vapiAssistantId, change.vapi);
    } catch (err) {
      ctx.log.warn({ err, assistantId: assistant.id }, 'VAPI update failed');
      throw vapiFailure(err);
    }
  }
  return ctx.db.transaction(async (tx) => {
    if (change.profile) await repo.updateProfile(tx, assistant.organizationId, change.profile);
    const updated = await repo.updateAssistant(tx, assistant.organizationId, assistant.id, change.row);
    if (!updated) throw new AppError('NOT_FOUND', 'Assistant not found');
    await change.alsoInTransaction?.(tx);
    if (change.row.systemPrompt !== undefined && change.row.systemPrompt !== assistant.systemPrompt) {
      await repo.insertPromptVersion(tx, {
        organizationId: assistant.organizationId,
        assistantId: assistant.id,
        userId,
        reason: change.reason,
        systemPrompt: change.row.systemPrompt,
      });
    }
    return updated;
  });
}

/**
 * A business-settings change: stored on the profile, and when an assistant exists, the
 * sections it affects are rewritten and synced (VAPI first, as above).
 */
export async function applyProfileChange(
  ctx: AppContext,
  organizationId: string,
  userId: string,
  profile: NonNullable<AssistantChange['profile']>,
  sections: PromptSection[],
) {
  const assistant = await repo.findActiveAssistant(ctx.db, organizationId);
  if (!assistant) {
    await repo.updateProfile(ctx.db, organizationId, profile);
    return;
  }
  const current = await repo.getProfile(ctx.db, organizationId);
  const facts = await promptFacts(ctx, organizationId, assistant, { ...current, ...profile });
  const systemPrompt = rewriteSections(assistant.systemPrompt, facts, sections);
  await applyAssistantChange(ctx, userId, assistant, {
    vapi: systemPrompt === assistant.systemPrompt ? {} : { systemPrompt },
    row: { systemPrompt },
    profile,
    reason: sections.join(','),
  });
}

/** The active assistant, or a 404 that tells the user what to do. */
export async function requireActiveAssistant(ctx: AppContext, organizationId: string) {
  const assistant = await repo.findActiveAssistant(ctx.db, organizationId);
  if (!assistant) throw new AppError('NOT_FOUND', 'No assistant yet: finish onboarding or register an assistant first');
  return assistant;
}
