import { MISSED_CALL_TEXT_MAX } from './missed-call.js';

/**
 * Lengths of the fields people type, in characters: the one source for the server's zod
 * schemas and the dashboard's forms (maxLength and the visible counter), so a form never
 * accepts what the server refuses. Longer text is refused with a message, never cut.
 */
export const LIMITS = {
  personName: 100,
  businessName: 200,
  email: 254,
  passwordMin: 8,
  passwordMax: 256,
  assistantNameMin: 2,
  assistantNameMax: 30,
  businessType: 60,
  businessDescription: 2000,
  businessAddress: 300,
  websiteUrl: 500,
  /** Room for a typed number with spaces, dashes and brackets; it is stored as E.164. */
  phoneNumber: 40,
  firstMessage: 1000,
  systemPrompt: 50_000,
  kbSectionName: 40,
  kbSectionText: 200_000,
  missedCallText: MISSED_CALL_TEXT_MAX,
  smsBody: 1600,
  voicemailMessage: 1000,
  apiKeyLabel: 100,
  embedTokenLabel: 100,
  followUpNote: 1000,
  blockReason: 200,
} as const;
