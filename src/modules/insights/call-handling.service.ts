import type { AppContext } from '../../context.js';
import type { AfterHoursMode, Assistant } from '../../db/schema/index.js';
import type { AssistantSpec } from '../../providers/vapi/port.js';
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
  vapiExtra: (assistant: Assistant) => Partial<AssistantSpec> = () => ({}),
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
    vapi: { ...(systemPrompt === assistant.systemPrompt ? {} : { systemPrompt }), ...vapiExtra(assistant) },
    row: { systemPrompt },
    alsoInTransaction: (tx) => repo.upsertCallHandling(tx, auth.organizationId, patch),
    reason: section,
  });
}

/** English alone keeps the fastest model; any other language needs the multilingual one. */
export const voiceModelFor = (languages: string[]) =>
  languages.some((l) => l !== 'en') ? 'eleven_multilingual_v2' : 'eleven_turbo_v2_5';

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
  // The voice follows the languages (when the assistant has a voice to switch).
  await applyHandlingChange(ctx, auth, { languages }, 'persona', (a) =>
    a.voiceId ? { voiceId: a.voiceId, voiceModel: voiceModelFor(languages) } : {},
  );
  return getLanguages(ctx, auth);
}

export const getVoicemail = (ctx: AppContext, auth: AuthContext) => repo.getVoicemail(ctx.db, auth.organizationId);

/** Outbound calls: detect answering machines and leave a message; VAPI first, then stored. */
export async function setVoicemail(ctx: AppContext, auth: AuthContext, input: { enabled: boolean; message?: string | null }) {
  const message = input.message ?? null;
  const patch = { voicemailDetection: input.enabled, voicemailMessage: message };
  const assistant = await findActiveAssistant(ctx.db, auth.organizationId);
  if (!assistant) {
    await repo.upsertCallHandling(ctx.db, auth.organizationId, patch);
  } else {
    await applyAssistantChange(ctx, auth.userId, assistant, {
      vapi: { voicemail: { detect: input.enabled, ...(message ? { message } : {}) } },
      row: {},
      alsoInTransaction: (tx) => repo.upsertCallHandling(tx, auth.organizationId, patch),
      reason: 'voicemail',
    });
  }
  return getVoicemail(ctx, auth);
}
