import type { AppContext } from '../../context.js';
import { hasFeature } from '../../domain/plans.js';
import { normalizePrompt, replaceSection, sanitizeBody, type PromptSection } from '../../domain/prompt.js';
import { renderAllSections, renderSection, type PromptFacts } from '../../domain/prompt-sections.js';
import { notFound } from '../../errors.js';
import type { AuthContext } from '../auth/sessions.js';
import { applyAssistantChange, promptFacts, requireActiveAssistant } from './assistant-sync.js';
import * as repo from './assistants.repo.js';

export async function getPrompt(ctx: AppContext, auth: AuthContext) {
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  return {
    systemPrompt: assistant.systemPrompt,
    assistantName: assistant.name,
    vapiAssistantId: assistant.vapiAssistantId,
    canEdit: hasFeature(auth.plan, 'editPrompt'),
  };
}

async function currentBodies(ctx: AppContext, auth: AuthContext, assistant: Awaited<ReturnType<typeof requireActiveAssistant>>) {
  const profile = await repo.getProfile(ctx.db, auth.organizationId);
  return renderAllSections(await promptFacts(ctx, auth.organizationId, assistant, profile));
}

/**
 * Replaces the whole prompt with the user's text. Managed sections they deleted come back,
 * and the inline tools stay on the model (only the system message is sent).
 */
export async function putPrompt(ctx: AppContext, auth: AuthContext, text: string, reason = 'edit') {
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  const systemPrompt = normalizePrompt(text, await currentBodies(ctx, auth, assistant));
  await applyAssistantChange(ctx, auth.userId, assistant, { vapi: { systemPrompt }, row: { systemPrompt }, reason });
  return systemPrompt;
}

const AI_SECTIONS: ReadonlySet<PromptSection> = new Set(['persona', 'context']);

/** Asks the model to write one section better; the template is the answer when it cannot. */
async function writeSection(ctx: AppContext, key: PromptSection, facts: PromptFacts): Promise<string> {
  const template = renderSection(key, facts);
  if (!AI_SECTIONS.has(key)) return template;
  try {
    const text = await ctx.providers.ai.complete({
      system:
        'You write one section of the system prompt of a phone receptionist AI. Answer with the section text only: plain sentences, no headings, no markup, under 120 words.',
      prompt: `Rewrite this "${key}" section so it sounds natural for ${facts.businessName}, keeping every fact:\n\n${template}`,
      maxTokens: 400,
    });
    const clean = sanitizeBody(text);
    return clean.length >= 20 ? clean : template;
  } catch (err) {
    ctx.log.warn({ err, section: key }, 'prompt regeneration fell back to the template');
    return template;
  }
}

/** Regenerations running in this process, by organization and sections: identical requests join them. */
const inFlight = new Map<string, Promise<{ systemPrompt: string; regenerated: PromptSection[] }>>();

/**
 * Rewrites the sections with the model. An identical request (same organization, same
 * sections) arriving while one runs gets that one's answer instead of rewriting again (a
 * double click, a retried request); other instances wait their turn on the organization's
 * regeneration lock.
 */
export function regeneratePrompt(ctx: AppContext, auth: AuthContext, sections: PromptSection[]) {
  const key = `${auth.organizationId}:${[...sections].sort().join(',')}`;
  let running = inFlight.get(key);
  if (!running) {
    running = ctx.withOrgLock(auth.organizationId, 'prompt-regeneration', () => rewriteSections(ctx, auth, sections)).finally(() => inFlight.delete(key));
    inFlight.set(key, running);
  }
  return running;
}

async function rewriteSections(ctx: AppContext, auth: AuthContext, sections: PromptSection[]) {
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  const profile = await repo.getProfile(ctx.db, auth.organizationId);
  const facts = await promptFacts(ctx, auth.organizationId, assistant, profile);
  let systemPrompt = assistant.systemPrompt;
  for (const key of sections) {
    const body = await writeSection(ctx, key, facts);
    systemPrompt = replaceSection(systemPrompt, key, body);
  }
  await applyAssistantChange(ctx, auth.userId, assistant, { vapi: { systemPrompt }, row: { systemPrompt }, reason: 'regenerate' });
  return { systemPrompt, regenerated: sections };
}

export async function listVersions(ctx: AppContext, auth: AuthContext, limit: number) {
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  const rows = await repo.listPromptVersions(ctx.db, auth.organizationId, assistant.id, limit);
  return {
    versions: rows.map((v) => ({
      id: v.id,
      reason: v.reason,
      userId: v.userId,
      systemPrompt: v.systemPrompt,
      createdAt: v.createdAt.toISOString(),
    })),
  };
}

export async function restoreVersion(ctx: AppContext, auth: AuthContext, versionId: string) {
  const version = await repo.findPromptVersion(ctx.db, auth.organizationId, versionId);
  if (!version) throw notFound('Prompt version');
  return putPrompt(ctx, auth, version.systemPrompt, 'restore');
}
