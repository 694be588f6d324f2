import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/client.js';
import { phoneNumbers } from '../../db/schema/index.js';
import { hasFeature } from '../../domain/plans.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../auth/sessions.js';
import * as assistantsRepo from '../assistants/assistants.repo.js';
import { requireActiveAssistant } from '../assistants/assistant-sync.js';
import { clearSteps, runSteps, type Step } from '../provisioning/steps.js';

const findNumber = async (ctx: AppContext, organizationId: string) =>
  (await ctx.db.select().from(phoneNumbers).where(eq(phoneNumbers.organizationId, organizationId)))[0];

export async function getPhoneNumber(ctx: AppContext, auth: AuthContext) {
  const [number, assistant] = await Promise.all([findNumber(ctx, auth.organizationId), assistantsRepo.findActiveAssistant(ctx.db, auth.organizationId)]);
  return {
    phoneNumber: number?.number ?? null,
    vapiPhoneNumberId: number?.vapiPhoneNumberId ?? null,
    twilioPhoneNumberSid: number?.twilioPhoneNumberSid ?? null,
    hasSipTrunk: Boolean(number?.sipTrunkSid),
    hasAssistant: Boolean(assistant),
    assistantName: assistant?.name ?? null,
  };
}

export async function searchNumbers(ctx: AppContext, q: { areaCode?: string; locality?: string; limit: number }) {
  const found = await ctx.providers.twilio.searchLocalNumbers(q).catch((err: unknown) => {
    throw new AppError('PROVIDER_ERROR', `Twilio could not search numbers: ${(err as Error).message}`);
  });
  return { numbers: found.map((n) => ({ phoneNumber: n.phoneNumber, locality: n.locality, region: n.region })) };
}

export const PHONE_STEPS = ['twilio-sip-trunk', 'twilio-number', 'vapi-number'] as const;

/** The steps that give an organization its number: SIP trunk, a bought number, imported into VAPI. */
export function phoneSteps(ctx: AppContext, organizationId: string, vapiAssistantId: string, areaCode?: string): Step[] {
  const { twilio, vapi } = ctx.providers;
  const base = ctx.config.appUrl;
  return [
    {
      name: 'twilio-sip-trunk',
      run: async () => ({ sid: (await twilio.createSipTrunk({ friendlyName: `epoch-voice-${organizationId}` })).sid }),
    },
    {
      name: 'twilio-number',
      run: async (done) => {
        // The business's own area code when Twilio has one there, any US number otherwise.
        const [candidate] = [
          ...(areaCode ? await twilio.searchLocalNumbers({ areaCode, limit: 1 }) : []),
          ...(await twilio.searchLocalNumbers({ limit: 1 })),
        ];
        if (!candidate) throw new Error('Twilio has no local numbers for sale');
        const bought = await twilio.buyNumber({
          phoneNumber: candidate.phoneNumber,
          friendlyName: `epoch-voice-${organizationId}`,
          trunkSid: done['twilio-sip-trunk']?.sid as string,
          smsUrl: `${base}/api/webhooks/twilio/sms-inbound`,
          statusCallbackUrl: `${base}/api/webhooks/twilio/status`,
        });
        return { sid: bought.sid, phoneNumber: bought.phoneNumber, locality: candidate.locality, region: candidate.region };
      },
    },
    {
      name: 'vapi-number',
      run: async (done) => {
        const imported = await vapi.importTwilioNumber({
          number: done['twilio-number']!.phoneNumber as string,
          twilioAccountSid: ctx.config.twilio.accountSid ?? '',
          twilioAuthToken: ctx.config.twilio.authToken ?? '',
          assistantId: vapiAssistantId,
          name: 'Epoch Voice',
        });
        return { id: imported.id };
      },
    },
  ];
}

/**
 * Runs (or resumes) the phone steps and stores the number once all of them succeeded.
 * Returns the number, or the step that failed (a retry continues from it).
 */
export async function provisionNumber(ctx: AppContext, organizationId: string, vapiAssistantId: string, areaCode?: string) {
  const { done, error } = await runSteps(ctx, organizationId, phoneSteps(ctx, organizationId, vapiAssistantId, areaCode));
  if (error) return { error };
  const number = done['twilio-number']!;
  try {
    await ctx.db.insert(phoneNumbers).values({
      organizationId,
      number: number.phoneNumber as string,
      twilioPhoneNumberSid: number.sid as string,
      vapiPhoneNumberId: done['vapi-number']!.id as string,
      sipTrunkSid: done['twilio-sip-trunk']!.sid as string,
      locality: (number.locality as string | null) ?? null,
      region: (number.region as string | null) ?? null,
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  await clearSteps(ctx, organizationId, [...PHONE_STEPS]);
  return { number: await findNumber(ctx, organizationId) };
}

export async function provisionForUser(ctx: AppContext, auth: AuthContext, areaCode?: string) {
  if (await findNumber(ctx, auth.organizationId)) throw new AppError('CONFLICT', 'This organization already has a phone number');
  // The route exists; the organization's state does not allow it yet (a number answers through an assistant).
  const assistant = await assistantsRepo.findActiveAssistant(ctx.db, auth.organizationId);
  if (!assistant) throw new AppError('CONFLICT', 'A phone number needs an assistant to answer it: finish onboarding or create an assistant first');
  const result = await provisionNumber(ctx, auth.organizationId, assistant.vapiAssistantId, areaCode);
  if (result.error) {
    throw new AppError('PROVIDER_ERROR', `Provisioning stopped at ${result.error.step}: ${result.error.message}. Try again to resume.`);
  }
  return {
    success: true as const,
    phoneNumber: result.number!.number,
    vapiPhoneNumberId: result.number!.vapiPhoneNumberId,
    twilioPhoneNumberSid: result.number!.twilioPhoneNumberSid,
  };
}

export const canEditTransfer = (auth: AuthContext) => hasFeature(auth.plan, 'transferNumber');
