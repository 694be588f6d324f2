import { z } from 'zod';

/**
 * What a call was about, as VAPI's analysis extracts it at the end of the call
 * (`analysisPlan.structuredDataPlan` on the assistant, `analysis.structuredData` in the
 * end-of-call report). One schema drives both: the JSON schema we send VAPI and the zod
 * check on what comes back.
 */
export const CALL_CATEGORIES = ['appointment', 'question', 'quote', 'complaint', 'spam', 'other'] as const;
export type CallCategory = (typeof CALL_CATEGORIES)[number];

const E164 = /^\+[1-9]\d{6,14}$/;

export const CallOutcome = z.object({
  callerName: z.string().trim().max(120).nullable().default(null),
  reason: z.string().trim().max(500).nullable().default(null),
  category: z.enum(CALL_CATEGORIES).default('other'),
  urgent: z.boolean().default(false),
  callbackRequested: z.boolean().default(false),
  callbackNumber: z.string().regex(E164).nullable().default(null),
  appointmentBooked: z.boolean().default(false),
});
export type CallOutcome = z.infer<typeof CallOutcome>;

/** The `analysisPlan` every assistant carries at VAPI. */
export const ANALYSIS_PLAN = {
  structuredDataPlan: {
    enabled: true,
    schema: {
      type: 'object',
      properties: {
        callerName: { type: 'string', description: "The caller's name, if they gave it." },
        reason: { type: 'string', description: 'Why they called, in one sentence.' },
        category: { type: 'string', enum: [...CALL_CATEGORIES], description: 'What kind of call this was.' },
        urgent: { type: 'boolean', description: 'The caller needs help today (emergency, something broken, a deadline).' },
        callbackRequested: { type: 'boolean', description: 'The caller asked to be called or texted back.' },
        callbackNumber: { type: 'string', description: 'The number to call back in E.164 (+15551234567); the caller ID unless they gave another.' },
        appointmentBooked: { type: 'boolean', description: 'An appointment was booked during the call.' },
      },
      required: ['reason', 'category', 'urgent', 'callbackRequested', 'appointmentBooked'],
    },
  },
} as const;

/** The report's structured data as an outcome; anything malformed is no outcome (never an error). */
export function parseOutcome(data: unknown, callerId?: string): CallOutcome | null {
  const parsed = CallOutcome.safeParse(data);
  if (!parsed.success) return null;
  const fallback = callerId && E164.test(callerId) ? callerId : null;
  return { ...parsed.data, callbackNumber: parsed.data.callbackNumber ?? fallback };
}

/** A voicemail ending, as VAPI names it (`voicemail`, `customer-left-voicemail`…). */
export const isVoicemail = (endedReason: string | null | undefined) => /voicemail/i.test(endedReason ?? '');

/** Someone should get back to this caller. */
export const needsFollowUp = (outcome: CallOutcome | null, endedReason: string | null | undefined) =>
  Boolean(outcome?.callbackRequested || outcome?.urgent) || isVoicemail(endedReason);
