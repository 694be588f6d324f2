/**
 * Response shapes of the API routes the dashboard reads, mirroring /api/openapi.json.
 * Most routes declare their response schema inline, so there is nothing to import:
 * these are written down here, with the route they come from. Pure domain types and
 * tables (plans, prompt sections, hours) and the DB enums are imported from the server
 * source instead (`import type` where only the type is needed, so nothing ships).
 */
import type { Feature, PlanTier } from '../../src/domain/plans';
import type { BusinessHours } from '../../src/domain/hours';
import type { FirstMessageMode } from '../../src/db/schema/assistants';
import type { CallStatus } from '../../src/db/schema/calls';

export type { CallStatus, FirstMessageMode };

/** GET /api/auth/session */
export interface SessionUser {
  id: string;
  name: string;
  email: string;
  organizationId: string;
  role: string;
  plan: PlanTier;
  mustChangePassword: boolean;
}
export type Session = { user: SessionUser; expires: string } | { user?: undefined };

/** GET /api/usage */
export interface Usage {
  snapshot: { minutesUsed: number; minutesLimit: number; percentUsed: number; currentCycleStart: string; currentCycleEnd: string };
  plan: PlanTier;
  overageEnabled: boolean;
  phoneNumber: string | null;
  assistant: { id: string; name: string } | null;
  features: Record<Feature, boolean>;
  history: Array<{ date: string; calls: number; minutes: number }>;
  recentCalls: Array<{
    id: string;
    status: CallStatus;
    customerNumber: string | null;
    startedAt: string | null;
    durationSeconds: number | null;
    durationMinutes: number | null;
    summary: string | null;
  }>;
}

/** GET /api/calls */
export interface CallSummary {
  id: string;
  vapiCallId: string;
  type: string;
  status: CallStatus;
  customerNumber: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  durationMinutes: number | null;
  endedReason: string | null;
  summary: string | null;
  createdAt: string;
}
export interface CallPage {
  calls: CallSummary[];
  nextCursor: string | null;
}

/** One entry of VAPI's `artifact.messages`, as stored (a loose record in the API). */
export interface CallMessage {
  role?: string;
  message?: string;
  secondsFromStart?: number;
}

/** GET /api/calls/:id */
export interface CallDetail {
  call: {
    id: string;
    vapiCallId: string;
    type: string;
    status: CallStatus;
    startedAt: string | null;
    endedAt: string | null;
    durationMinutes: number | null;
    customerNumber: string | null;
    endedReason: string | null;
    summary: string | null;
    transcript: string | null;
    messages: CallMessage[];
    recordingUrl: string | null;
  };
  plan: PlanTier;
  features: { transcripts: boolean; recordings: boolean };
}

/** GET /api/assistant-name */
export interface AssistantName {
  name: string;
  defaultName: string;
  canEdit: boolean;
}

/** GET /api/first-message-mode */
export interface FirstMessage {
  mode: FirstMessageMode;
  firstMessage: string;
}

/** GET /api/voice */
export interface Voice {
  provider: 'elevenlabs';
  voiceId: string | null;
  voiceName: string;
  canEdit: boolean;
}

/** GET /api/voice/catalog */
export interface CatalogVoice {
  id: string;
  name: string;
  gender: string;
  desc: string;
  previewUrl: string;
}

/** GET /api/business-info */
export interface BusinessInfo {
  businessType: string | null;
  businessDescription: string | null;
  websiteUrl: string | null;
}

/** GET /api/business-hours */
export interface BusinessHoursView {
  businessHours: BusinessHours;
  timezone: string;
}

/** GET /api/business-address */
export interface BusinessAddress {
  businessAddress: string | null;
}

/** GET /api/prompt */
export interface Prompt {
  systemPrompt: string;
  assistantName: string;
  vapiAssistantId: string;
  canEdit: boolean;
}

/** GET /api/prompt/versions */
export interface PromptVersion {
  id: string;
  reason: string;
  userId: string | null;
  systemPrompt: string;
  createdAt: string;
}
