import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { assistants, onboardingStates, organizations, promptVersions, provisioningState } from '../../db/schema/index.js';
import { BusinessHoursSchema, TimeZoneSchema } from '../../domain/hours.js';
import { areaCodeOf } from '../../domain/phone.js';
import { composePrompt } from '../../domain/prompt.js';
import { defaultFirstMessage, renderAllSections } from '../../domain/prompt-sections.js';
import { AppError, fieldError } from '../../errors.js';
import { SafeFetchError } from '../../lib/safe-fetch.js';
import { unreadableWebsiteMessage } from '../../domain/website-fetch-advice.js';
import { sampleSiteUrl } from '../../sandbox/sample-site/index.js';
import type { AuthContext } from '../auth/sessions.js';
import { DEFAULT_ASSISTANT_NAME, promptFacts } from '../assistants/assistant-sync.js';
import * as assistantsRepo from '../assistants/assistants.repo.js';
import type { CatalogVoice } from '../assistants/voice.service.js';
import { putSection } from '../knowledge/knowledge.service.js';
import { provisionNumber } from '../phone/phone.service.js';
import { withTransferTool } from '../phone/transfer.service.js';
import { runSteps } from '../provisioning/steps.js';
import { toE164 } from '../../domain/phone.js';
import { privacyValues } from '../privacy/privacy.repo.js';
import { vapiPrivacy } from '../../domain/privacy.js';
import { websiteKnowledgeText } from '../../domain/knowledge.js';

export const OnboardingData = z.object({
  businessName: z.string().trim().min(1).max(200).optional(),
  businessType: z.string().trim().min(1).max(60).optional(),
  description: z.string().trim().max(2000).optional(),
  websiteUrl: z.url({ protocol: /^https?$/, message: 'websiteUrl must be an http(s) URL' }).max(500).optional(),
  voiceId: z.string().trim().min(1).max(64).optional(),
  voiceName: z.string().trim().min(1).max(60).optional(),
  hours: BusinessHoursSchema.optional(),
  timezone: TimeZoneSchema.optional(),
  address: z.string().trim().max(300).optional(),
  phone: z.string().trim().max(40).optional(),
  areaCode: z.string().regex(/^[2-9]\d{2}$/, 'areaCode is a 3-digit US area code').optional(),
  transferNumber: z.string().trim().max(40).optional(),
  step: z.number().int().min(0).max(3).optional().describe("The dashboard wizard's step to resume at after a reload (0 website, 1 details, 2 voice, 3 go live)"),
});
export type OnboardingData = z.infer<typeof OnboardingData>;

async function loadState(ctx: AppContext, organizationId: string) {
  await ctx.db.insert(onboardingStates).values({ organizationId }).onConflictDoNothing();
  const [row] = await ctx.db.select().from(onboardingStates).where(eq(onboardingStates.organizationId, organizationId));
  return row!;
}

/**
 * The steps recorded so far, read while a provisioning run may be going on (the wizard polls
 * it). Phone steps are forgotten once the number is stored, so a number stands for them. The
 * last error is dropped once its step has since succeeded: errors are kept as history.
 */
async function provisioningProgress(ctx: AppContext, organizationId: string, completed: boolean) {
  const [row] = await ctx.db
    .select({ steps: provisioningState.steps, errors: provisioningState.errors })
    .from(provisioningState)
    .where(eq(provisioningState.organizationId, organizationId));
  const stepsDone = Object.keys(row?.steps ?? {});
  const last = row?.errors.at(-1);
  const lastError = last && !completed && !stepsDone.includes(last.step) ? last : null;
  return { stepsDone, lastError };
}

export async function getOnboarding(ctx: AppContext, auth: AuthContext) {
  const state = await loadState(ctx, auth.organizationId);
  const completed = state.completedAt !== null;
  const [org] = await ctx.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, auth.organizationId));
  return {
    completed,
    completedAt: state.completedAt?.toISOString() ?? null,
    data: state.data,
    phoneNumber: await assistantsRepo.findPhoneNumber(ctx.db, auth.organizationId),
    organizationName: org?.name ?? '',
    sampleWebsiteUrl: ctx.config.sandbox ? sampleSiteUrl(ctx.config.appUrl) : null,
    provisioning: await provisioningProgress(ctx, auth.organizationId, completed),
  };
}

export async function analyze(ctx: AppContext, auth: AuthContext, url: string) {
  const state = await loadState(ctx, auth.organizationId);
  if (state.completedAt) throw new AppError('BAD_REQUEST', 'Onboarding is already complete; edit your business settings instead');
  let analysis;
  try {
    // Loaded on first use: the HTML parser is heavy and only onboarding needs it.
    const { analyzeWebsite } = await import('./website-analysis.js');
    analysis = await analyzeWebsite(ctx, url);
  } catch (err) {
    if (err instanceof SafeFetchError) {
      const message = unreadableWebsiteMessage(url, err.reason, err.status);
      throw new AppError('BAD_REQUEST', message, { details: [{ field: 'body.url', message, reason: err.reason }] });
    }
    throw err;
  }
  await ctx.db
    .update(onboardingStates)
    .set({ websiteUrl: url, websitePages: analysis.pages, updatedAt: sql`now()` })
    .where(eq(onboardingStates.organizationId, auth.organizationId));
  return {
    extractedData: analysis.extractedData,
    businessName: analysis.extractedData.businessName,
    pagesScraped: analysis.pages.length,
    scrapeWarnings: analysis.warnings,
  };
}

/** Profile and organization name from the wizard's answers (plain writes, safe to repeat). */
async function applyAnswers(ctx: AppContext, organizationId: string, data: OnboardingData) {
  if (data.businessName) await ctx.db.update(organizations).set({ name: data.businessName }).where(eq(organizations.id, organizationId));
  await assistantsRepo.updateProfile(ctx.db, organizationId, {
    ...(data.businessType !== undefined && { businessType: data.businessType }),
    ...(data.description !== undefined && { businessDescription: data.description }),
    ...(data.websiteUrl !== undefined && { websiteUrl: data.websiteUrl }),
    ...(data.hours !== undefined && { businessHours: data.hours }),
    ...(data.timezone !== undefined && { timezone: data.timezone }),
    ...(data.address !== undefined && { businessAddress: data.address }),
    ...(data.transferNumber !== undefined && { transferNumber: toE164(data.transferNumber) ?? null }),
  });
}

/** The assistant steps: create it on VAPI, then record it (each resumable on its own). */
async function assistantSteps(ctx: AppContext, auth: AuthContext, data: OnboardingData, voice: CatalogVoice | undefined) {
  const existing = await assistantsRepo.findActiveAssistant(ctx.db, auth.organizationId);
  if (existing) return { vapiAssistantId: existing.vapiAssistantId, error: undefined };
  const profile = await assistantsRepo.getProfile(ctx.db, auth.organizationId);
  const name = voice?.name ?? DEFAULT_ASSISTANT_NAME;
  const facts = await promptFacts(ctx, auth.organizationId, { name, tools: [] }, profile);
  const systemPrompt = composePrompt(renderAllSections(facts));
  const tools = withTransferTool([], profile.transferNumber, profile.transferMode);
  const firstMessage = defaultFirstMessage(facts.businessName);
  const { done, error } = await runSteps(ctx, auth.organizationId, [
    {
      name: 'vapi-assistant',
      run: async () => {
        const created = await ctx.providers.vapi.createAssistant({
          name,
          systemPrompt,
          firstMessage,
          firstMessageMode: 'assistant-speaks-first',
          voiceId: voice?.id,
          tools,
          server: { url: `${ctx.config.appUrl}/api/webhooks/vapi`, secret: ctx.config.vapi.webhookSecret },
          metadata: { organizationId: auth.organizationId },
          privacy: vapiPrivacy(await privacyValues(ctx.db, auth.organizationId)),
        });
        return { id: created.id };
      },
    },
    {
      name: 'assistant-record',
      run: async (outputs) => {
        const vapiAssistantId = outputs['vapi-assistant']!.id as string;
        await ctx.db.transaction(async (tx) => {
          const [row] = await tx
            .insert(assistants)
            .values({
              organizationId: auth.organizationId,
              vapiAssistantId,
              name,
              systemPrompt,
              firstMessage,
              voiceId: voice?.id ?? null,
              voiceName: voice?.name ?? null,
              tools,
            })
            .onConflictDoNothing()
            .returning({ id: assistants.id });
          if (row) await tx.insert(promptVersions).values({ organizationId: auth.organizationId, assistantId: row.id, userId: auth.userId, reason: 'initial', systemPrompt });
        });
        return { vapiAssistantId };
      },
    },
  ]);
  return { vapiAssistantId: done['vapi-assistant']?.id as string | undefined, error };
}

/**
 * Saves the wizard's answers; with `complete`, runs (or resumes) provisioning: the VAPI
 * assistant, the website knowledge section, the phone number. Each step is recorded, so
 * a failed step is reported and the next call resumes there without duplicates. Under the
 * organization's onboarding lock: of concurrent completions one provisions, and the others,
 * waiting their turn, find it completed (400, as the reference says).
 */
export function saveOnboarding(
  ctx: AppContext,
  auth: AuthContext,
  input: { onboardingData: OnboardingData; complete: boolean },
  catalog: () => Promise<CatalogVoice[]>,
) {
  return ctx.withOrgLock(auth.organizationId, 'onboarding', () => saveUnderLock(ctx, auth, input, catalog));
}

async function saveUnderLock(
  ctx: AppContext,
  auth: AuthContext,
  input: { onboardingData: OnboardingData; complete: boolean },
  catalog: () => Promise<CatalogVoice[]>,
) {
  const state = await loadState(ctx, auth.organizationId);
  if (state.completedAt) throw new AppError('BAD_REQUEST', 'Onboarding was already completed');
  const data: OnboardingData = { ...(state.data as OnboardingData), ...input.onboardingData };
  await ctx.db.update(onboardingStates).set({ data, updatedAt: sql`now()` }).where(eq(onboardingStates.organizationId, auth.organizationId));
  await applyAnswers(ctx, auth.organizationId, input.onboardingData);
  if (!input.complete) return { success: true as const, completed: false, phoneNumber: null, provisioningErrors: [] };

  const voice = data.voiceId ? (await catalog()).find((v) => v.id === data.voiceId) : undefined;
  if (data.voiceId && !voice) {
    throw fieldError('body.onboardingData.voiceId', `Unknown voice ${data.voiceId}: pick one from GET /api/voice/catalog`, 'BAD_REQUEST');
  }

  const failed = (error: { step: string; message: string }) => ({
    success: true as const,
    completed: false,
    phoneNumber: null,
    provisioningErrors: [{ step: error.step, message: error.message }],
  });
  const assistant = await assistantSteps(ctx, auth, data, voice);
  if (assistant.error || !assistant.vapiAssistantId) return failed(assistant.error ?? { step: 'vapi-assistant', message: 'No assistant' });

  if (state.websitePages.length > 0) {
    const kb = await runSteps(ctx, auth.organizationId, [
      { name: 'knowledge-website', run: async () => putSection(ctx, auth, { key: 'website', text: websiteKnowledgeText(state.websitePages) }) },
    ]);
    if (kb.error) return failed(kb.error);
  }

  let phoneNumber = await assistantsRepo.findPhoneNumber(ctx.db, auth.organizationId);
  if (!phoneNumber) {
    const profile = await assistantsRepo.getProfile(ctx.db, auth.organizationId);
    const areaCode = data.areaCode ?? areaCodeOf(`${data.phone ?? ''} ${profile.businessAddress ?? ''}`);
    const result = await provisionNumber(ctx, auth.organizationId, assistant.vapiAssistantId, areaCode);
    if (result.error) return failed(result.error);
    phoneNumber = result.number!.number;
  }

  await ctx.db.update(onboardingStates).set({ completedAt: ctx.now(), updatedAt: sql`now()` }).where(eq(onboardingStates.organizationId, auth.organizationId));
  return { success: true as const, completed: true, phoneNumber, provisioningErrors: [] };
}
