import type { CallStatus } from '../db/schema/calls.js';
import { parseOutcome, type CallOutcome } from './call-outcome.js';

/** Our status for VAPI's; `ended` splits on whether the call itself failed. */
export function callStatusFromVapi(status: string | undefined, endedReason?: string | null): CallStatus | undefined {
  switch (status) {
    case 'scheduled':
    case 'queued':
      return 'QUEUED';
    case 'ringing':
      return 'RINGING';
    case 'in-progress':
      return 'IN_PROGRESS';
    case 'forwarding':
      return 'FORWARDING';
    case 'ended':
      return endedReason && /error|failed|fault/i.test(endedReason) ? 'FAILED' : 'COMPLETED';
    default:
      return undefined;
  }
}

/** VAPI's vocabulary for our status, for endpoints that speak VAPI's (outbound status). */
export const vapiStatusOf = (status: CallStatus) =>
  ({ QUEUED: 'queued', RINGING: 'ringing', IN_PROGRESS: 'in-progress', FORWARDING: 'forwarding', COMPLETED: 'ended', FAILED: 'ended' })[status];

/** Statuses only move forward: a late "in-progress" never reopens an ended call. */
export const CALL_STATUS_ORDER: readonly CallStatus[] = ['QUEUED', 'RINGING', 'IN_PROGRESS', 'FORWARDING', 'COMPLETED', 'FAILED'];

/** No phone call lasts a day: a longer (or negative) duration is a broken report, counted as unknown. */
const MAX_CALL_SECONDS = 86_400;
const plausibleSeconds = (s: number) => (s >= 0 && s <= MAX_CALL_SECONDS ? s : undefined);
/** The cost column is a 4-byte integer of cents. */
const plausibleCents = (c: number) => (c >= 0 && c <= 2_147_483_647 ? c : undefined);

/** Whole seconds between two instants; undefined unless both exist and the span is a plausible call. */
export function durationSeconds(startedAt?: Date | null, endedAt?: Date | null): number | undefined {
  if (!startedAt || !endedAt) return undefined;
  return plausibleSeconds(Math.round((endedAt.getTime() - startedAt.getTime()) / 1000));
}

/** Seconds to minutes with two decimals, for display (we store seconds). */
export const minutesOf = (seconds: number) => Math.round((seconds / 60) * 100) / 100;

/** A finished call, whichever path reported it (webhook or sync job). */
export interface CallReport {
  vapiCallId: string;
  vapiAssistantId?: string;
  type: string;
  status: CallStatus;
  customerNumber?: string;
  startedAt?: Date;
  endedAt?: Date;
  durationSeconds?: number;
  endedReason?: string;
  transcript?: string;
  summary?: string;
  recordingUrl?: string;
  messages?: Array<Record<string, unknown>>;
  costCents?: number;
  /** analysis.structuredData, validated; undefined when absent or malformed. */
  outcome?: CallOutcome;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
/** An instant from a provider's ISO string or epoch milliseconds; undefined unless it is a real date. */
export const instantOf = (v: unknown) => {
  const d = typeof v === 'string' || typeof v === 'number' ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
};

/**
 * What of an end-of-call-report is kept as its webhook event: everything but the artifact
 * (transcript, messages, recordings; ~70% of a report's bytes), which the call row holds. The
 * event row is the de-duplication record and an audit of cost and analysis; a second copy of
 * the artifact doubled what each report writes and what retention must later blank.
 */
export function reportEventPayload(message: Json): Json {
  const { artifact, transcript, messages, recordingUrl, stereoRecordingUrl, ...kept } = message;
  return kept;
}

/**
 * Reads an end-of-call-report at the field paths VAPI documents (ServerMessageEndOfCallReport):
 * transcript and recording under `artifact`, summary under `analysis`; a top-level
 * durationSeconds some payloads carry is only a fallback for the duration.
 */
export function parseEndOfCallReport(message: Json): CallReport | undefined {
  const call = obj(message.call);
  const artifact = obj(message.artifact);
  const analysis = obj(message.analysis);
  const recording = obj(artifact.recording);
  const vapiCallId = str(call.id);
  if (!vapiCallId) return undefined;
  const startedAt = instantOf(message.startedAt) ?? instantOf(call.startedAt);
  const endedAt = instantOf(message.endedAt) ?? instantOf(call.endedAt);
  const endedReason = str(message.endedReason) ?? str(call.endedReason);
  const fallbackDuration = typeof message.durationSeconds === 'number' ? plausibleSeconds(Math.round(message.durationSeconds)) : undefined;
  const customerNumber = str(obj(call.customer).number) ?? str(obj(message.customer).number);
  const cost = typeof message.cost === 'number' ? message.cost : typeof call.cost === 'number' ? call.cost : undefined;
  return {
    vapiCallId,
    vapiAssistantId: str(call.assistantId) ?? str(obj(message.assistant).id),
    type: str(call.type) ?? 'inboundPhoneCall',
    status: callStatusFromVapi('ended', endedReason)!,
    customerNumber,
    startedAt,
    endedAt,
    durationSeconds: durationSeconds(startedAt, endedAt) ?? fallbackDuration,
    endedReason,
    transcript: str(artifact.transcript),
    summary: str(analysis.summary),
    recordingUrl: str(obj(recording.mono).combinedUrl) ?? str(recording.stereoUrl) ?? str(artifact.recordingUrl),
    messages: Array.isArray(artifact.messages) ? (artifact.messages as Json[]) : undefined,
    costCents: cost !== undefined ? plausibleCents(Math.round(cost * 100)) : undefined,
    outcome: parseOutcome(analysis.structuredData, customerNumber) ?? undefined,
  };
}
