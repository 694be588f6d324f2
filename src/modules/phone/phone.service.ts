import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/client.js';
import { phoneNumbers } from '../../db/schema/index.js';
import { hasFeature } from '../../domain/plans.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../auth/sessions.js';
import * as assistantsRepo from '../assistants/assistants.repo.js';
import { requireActiveAssistant } from '../assistants/assistant-sync.js';
import { ProviderError } from '../../providers/errors.js';
import { clearSteps, RedoStep, runSteps, type Step } from '../provisioning/steps.js';

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
  // Numbers found imported elsewhere during this run: Twilio may offer them again once released.
  const unusable = new Set<string>();
  return [
    {
      name: 'twilio-sip-trunk',
      run: async () => ({ sid: (await twilio.createSipTrunk({ friendlyName: `epoch-voice-${organizationId}` })).sid }),
    },
    {
      name: 'twilio-number',
      run: async (done) => {
        const bought = await buyFirstAvailable(ctx, organizationId, done['twilio-sip-trunk']?.sid as string, areaCode, unusable);
        return { sid: bought.sid, phoneNumber: bought.phoneNumber, locality: bought.locality, region: bought.region };
      },
    },
    {
      name: 'vapi-number',
      run: async (done) => {
        const recorded = done['twilio-number']!;
        await assertStillOurs(ctx, recorded.sid as string, recorded.phoneNumber as string);
        try {
          const imported = await vapi.importTwilioNumber({
            number: recorded.phoneNumber as string,
            twilioAccountSid: ctx.config.twilio.accountSid ?? '',
            twilioAuthToken: ctx.config.twilio.authToken ?? '',
            assistantId: vapiAssistantId,
            name: 'Epoch Voice',
          });
          return { id: imported.id };
        } catch (err) {
          if (!isInUseAtVapi(err)) throw err;
          unusable.add(recorded.phoneNumber as string);
          // Imported elsewhere: this number can never be ours at VAPI. Give it back and buy another.
          await twilio.releaseNumber(recorded.sid as string).catch((e: unknown) => {
            if (!(e instanceof ProviderError && e.notFound)) throw e;
          });
          throw new RedoStep('twilio-number', `${recorded.phoneNumber as string} is already in use at VAPI; released it to buy another`);
        }
      },
    },
  ];
}

/** How many search results a purchase tries before it gives up (each may be sold meanwhile). */
const PURCHASE_CANDIDATES = 10;

/** Twilio's answer when a number was sold between the search and the purchase (error 21422). */
const isUnavailable = (err: unknown) =>
  err instanceof ProviderError && ((err.cause as { code?: unknown } | undefined)?.code === 21422 || /not available/i.test(err.message));

const isInUseAtVapi = (err: unknown) => err instanceof ProviderError && err.status === 400 && /already in use/i.test(err.message);

/**
 * Buys the first number still for sale: the business's own area code first, any US number
 * after. Concurrent buyers see the same search results, so a number sold in between (21422)
 * moves on to the next candidate.
 */
async function buyFirstAvailable(ctx: AppContext, organizationId: string, trunkSid: string, areaCode: string | undefined, unusable: Set<string>) {
  const { twilio } = ctx.providers;
  const base = ctx.config.appUrl;
  const found = [
    ...(areaCode ? await twilio.searchLocalNumbers({ areaCode, limit: PURCHASE_CANDIDATES }) : []),
    ...(await twilio.searchLocalNumbers({ limit: PURCHASE_CANDIDATES })),
  ];
  const candidates = [...new Map(found.map((n) => [n.phoneNumber, n])).values()].filter((n) => !unusable.has(n.phoneNumber)).slice(0, PURCHASE_CANDIDATES);
  if (candidates.length === 0) throw new Error('Twilio has no local numbers for sale');
  for (const candidate of candidates) {
    try {
      const bought = await twilio.buyNumber({
        phoneNumber: candidate.phoneNumber,
        friendlyName: `epoch-voice-${organizationId}`,
        trunkSid,
        smsUrl: `${base}/api/webhooks/twilio/sms-inbound`,
        statusCallbackUrl: `${base}/api/webhooks/twilio/status`,
      });
      return { ...bought, locality: candidate.locality, region: candidate.region };
    } catch (err) {
      if (!isUnavailable(err)) throw err;
    }
  }
  throw new Error(`Twilio sold all ${candidates.length} numbers offered before we could buy one; try again`);
}

/** A recorded purchase is re-checked before use: a number no longer in our Twilio account is bought again. */
async function assertStillOurs(ctx: AppContext, sid: string, phoneNumber: string) {
  let owned;
  try {
    owned = await ctx.providers.twilio.getNumber(sid);
  } catch (err) {
    if (err instanceof ProviderError && err.notFound) throw new RedoStep('twilio-number', `${phoneNumber} is no longer in our Twilio account`);
    throw err;
  }
  if (owned.phoneNumber !== phoneNumber) throw new RedoStep('twilio-number', `${sid} is no longer ${phoneNumber}`);
}

/**
 * Runs (or resumes) the phone steps and stores the number once all of them succeeded, under
 * the organization's provisioning lock, so concurrent callers buy one number: a caller that
 * finds a number stored gets it back with `existed`. Otherwise returns the new number, or the
 * step that failed (a retry continues from it).
 */
export function provisionNumber(ctx: AppContext, organizationId: string, vapiAssistantId: string, areaCode?: string) {
  return ctx.withOrgLock(organizationId, 'provisioning', async () => {
    const existing = await findNumber(ctx, organizationId);
    if (existing) return { number: existing, existed: true };
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
  });
}

export async function provisionForUser(ctx: AppContext, auth: AuthContext, areaCode?: string) {
  if (await findNumber(ctx, auth.organizationId)) throw new AppError('CONFLICT', 'This organization already has a phone number');
  // The route exists; the organization's state does not allow it yet (a number answers through an assistant).
  const assistant = await assistantsRepo.findActiveAssistant(ctx.db, auth.organizationId);
  if (!assistant) throw new AppError('CONFLICT', 'A phone number needs an assistant to answer it: finish onboarding or create an assistant first');
  const result = await provisionNumber(ctx, auth.organizationId, assistant.vapiAssistantId, areaCode);
  if (result.existed) throw new AppError('CONFLICT', 'This organization already has a phone number');
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
