import type { AppContext } from '../../context.js';
import type { AfterHoursMode } from '../../db/schema/index.js';
import type { PromptFacts } from '../../domain/prompt-sections.js';
import type { PromptSection } from '../../domain/prompt.js';
import type { AuthContext } from '../auth/sessions.js';
import { applyAssistantChange, promptFacts, rewriteSections } from '../assistants/assistant-sync.js';
import { findActiveAssistant, getProfile } from '../assistants/assistants.repo.js';
import * as repo from './call-handling.repo.js';

/** The default when nothing was chosen: what the prompt already asks for outside hours. */
export const DEFAULT_AFTER_HOURS: AfterHoursMode = 'take-message';

/**
 * Stores a call-handling setting and rewrites the one prompt section it feeds, VAPI first
 * (as applyProfileChange does for business settings): a VAPI failure saves nothing.
 */
async function applyHandlingChange(
  ctx: AppContext,
  auth: AuthContext,
  patch: { afterHours?: AfterHoursMode; languages?: string[] },
  section: PromptSection,
) {
  const assistant = await findActiveAssistant(ctx.db, auth.organizationId);
  if (!assistant) {
    await repo.upsertCallHandling(ctx.db, auth.organizationId, patch);
    return;
  }
  const profile = await getProfile(ctx.db, auth.organizationId);
  const facts: PromptFacts = { ...(await promptFacts(ctx, auth.organizationId, assistant, profile)), ...patch };
  const systemPrompt = rewriteSections(assistant.systemPrompt, facts, [section]);
  await applyAssistantChange(ctx, auth.userId, assistant, {
    vapi: systemPrompt === assistant.systemPrompt ? {} : { systemPrompt },
    row: { systemPrompt },
    alsoInTransaction: (tx) => repo.upsertCallHandling(tx, auth.organizationId, patch),
    reason: section,
  });
}

export async function getAfterHours(ctx: AppContext, auth: AuthContext) {
  const { afterHours } = await repo.getCallHandling(ctx.db, auth.organizationId);
  return { afterHours: afterHours ?? DEFAULT_AFTER_HOURS };
}

export async function setAfterHours(ctx: AppContext, auth: AuthContext, afterHours: AfterHoursMode) {
  await applyHandlingChange(ctx, auth, { afterHours }, 'hours');
  return getAfterHours(ctx, auth);
}

export async function getLanguages(ctx: AppContext, auth: AuthContext) {
  const { languages } = await repo.getCallHandling(ctx.db, auth.organizationId);
  return { languages };
}

export async function setLanguages(ctx: AppContext, auth: AuthContext, languages: string[]) {
  await applyHandlingChange(ctx, auth, { languages }, 'persona');
  return getLanguages(ctx, auth);
}
