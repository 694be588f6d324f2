import type { AppContext } from '../../context.js';
import { hasFeature } from '../../domain/plans.js';
import { AppError, fieldError } from '../../errors.js';
import type { AuthContext } from '../auth/sessions.js';
import { applyAssistantChange, DEFAULT_ASSISTANT_NAME, promptFacts, requireActiveAssistant, rewriteSections } from './assistant-sync.js';
import * as repo from './assistants.repo.js';

export const CATALOG_TTL_MS = 24 * 60 * 60 * 1000;

export interface CatalogVoice {
  id: string;
  name: string;
  gender: string;
  desc: string;
  previewUrl: string;
}

/** The voice catalog changes rarely: one fetch per process per day (and Cache-Control for browsers). */
export function createVoiceCatalog(ctx: AppContext) {
  let cached: { at: number; voices: CatalogVoice[] } | undefined;
  let inflight: Promise<CatalogVoice[]> | undefined;
  return async function voiceCatalog(): Promise<CatalogVoice[]> {
    const now = ctx.now().getTime();
    if (cached && now - cached.at < CATALOG_TTL_MS) return cached.voices;
    inflight ??= ctx.providers.voices
      .listVoices()
      .then((list) => {
        const voices = list.map((v) => ({ id: v.id, name: v.name, gender: v.gender, desc: v.description, previewUrl: v.previewUrl }));
        cached = { at: now, voices };
        return voices;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
}

export async function getVoice(ctx: AppContext, auth: AuthContext) {
  const assistant = await repo.findActiveAssistant(ctx.db, auth.organizationId);
  return {
    provider: 'elevenlabs' as const,
    voiceId: assistant?.voiceId ?? null,
    voiceName: assistant?.voiceName ?? DEFAULT_ASSISTANT_NAME,
    canEdit: hasFeature(auth.plan, 'editVoice'),
  };
}

export async function setVoice(
  ctx: AppContext,
  auth: AuthContext,
  catalog: () => Promise<CatalogVoice[]>,
  input: { voiceId: string; voiceName?: string },
) {
  const voice = (await catalog()).find((v) => v.id === input.voiceId);
  if (!voice) throw fieldError('body.voiceId', `Unknown voice ${input.voiceId}: pick one from GET /api/voice/catalog`, 'BAD_REQUEST');
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  const profile = await repo.getProfile(ctx.db, auth.organizationId);
  const facts = await promptFacts(ctx, auth.organizationId, assistant, profile);
  const systemPrompt = rewriteSections(assistant.systemPrompt, facts, ['persona']);
  await applyAssistantChange(ctx, auth.userId, assistant, {
    vapi: { voiceId: voice.id, systemPrompt },
    row: { voiceId: voice.id, voiceName: input.voiceName ?? voice.name, systemPrompt },
    reason: 'persona',
  });
}
