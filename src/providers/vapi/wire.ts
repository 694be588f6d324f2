import { ANALYSIS_PLAN } from '../../domain/call-outcome.js';
import type { Assistant, AssistantSpec, AssistantTool, CallStatus, CallType, TransferMode, VapiCall } from './port.js';

/**
 * VAPI's JSON for the fields we use, named as VAPI names them, and the translation to and
 * from our vocabulary. Pure: shared by the live adapter and the webhook parsing.
 */

export interface WireTool {
  type: string;
  function?: { name: string; description?: string; parameters?: Record<string, unknown> };
  destinations?: Array<{ type: string; number?: string; message?: string; description?: string; transferPlan?: { mode?: string } }>;
}

export interface WireModel {
  provider: string;
  model: string;
  messages?: Array<{ role: string; content: string | null }>;
  tools?: WireTool[];
  toolIds?: string[];
  /** Model settings we do not manage (temperature…) ride along unchanged. */
  [other: string]: unknown;
}

export interface WireServer {
  url?: string;
  headers?: Record<string, unknown>;
  /** Legacy field; older assistants still carry it. */
  secret?: string;
}

export interface WireAssistant {
  id: string;
  createdAt: string;
  updatedAt: string;
  name?: string;
  firstMessage?: string;
  firstMessageMode?: Assistant['firstMessageMode'];
  model?: WireModel;
  voice?: { provider: string; voiceId?: string; model?: string };
  /** VAPI's detector on outbound calls; null turns it off. */
  voicemailDetection?: { provider: string } | null;
  voicemailMessage?: string;
  server?: WireServer;
  maxDurationSeconds?: number;
  metadata?: Record<string, unknown>;
  /** What VAPI extracts after each call (our call outcome), sent with every create and update. */
  analysisPlan?: typeof ANALYSIS_PLAN;
  /** HIPAA mode: VAPI keeps no logs, recordings or transcripts in its default storage. */
  compliancePlan?: { hipaaEnabled: boolean };
  /** Replaced whole on PATCH; we manage only whether calls are recorded. */
  artifactPlan?: { recordingEnabled: boolean };
}

export type WireAssistantBody = Omit<WireAssistant, 'id' | 'createdAt' | 'updatedAt'>;

export interface WireArtifact {
  transcript?: string;
  recordingUrl?: string;
  stereoRecordingUrl?: string;
  recording?: { stereoUrl?: string; mono?: { combinedUrl?: string } };
}

export interface WireCall {
  id: string;
  type?: string;
  status?: string;
  assistantId?: string;
  phoneNumberId?: string;
  customer?: { number?: string };
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  endedReason?: string;
  cost?: number;
  artifact?: WireArtifact;
  /** VAPI's Call has no top-level transcript/summary/recording: they live here. */
  analysis?: { summary?: string; successEvaluation?: string | boolean; structuredData?: unknown };
}

export const DEFAULT_LLM = { provider: 'openai', model: 'gpt-4o' } as const;

function toWireTool(tool: AssistantTool): WireTool {
  switch (tool.type) {
    case 'function':
      return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
    case 'transferCall':
      return {
        type: 'transferCall',
        destinations: tool.destinations.map((d) => ({
          type: 'number',
          number: d.number,
          message: d.message,
          description: d.description,
          transferPlan: { mode: d.mode },
        })),
      };
    case 'endCall':
      return { type: 'endCall' };
  }
}

/** Tools of kinds we do not define are left out of our view (and kept on VAPI by model merging). */
function fromWireTool(tool: WireTool): AssistantTool | undefined {
  if (tool.type === 'function' && tool.function) {
    const { name, description = '', parameters = { type: 'object', properties: {} } } = tool.function;
    return { type: 'function', name, description, parameters };
  }
  if (tool.type === 'transferCall') {
    const destinations = (tool.destinations ?? [])
      .filter((d) => d.type === 'number' && d.number)
      .map((d) => ({
        number: d.number!,
        mode: (d.transferPlan?.mode ?? 'blind-transfer') as TransferMode,
        ...(d.message ? { message: d.message } : {}),
        ...(d.description ? { description: d.description } : {}),
      }));
    return { type: 'transferCall', destinations };
  }
  if (tool.type === 'endCall') return { type: 'endCall' };
  return undefined;
}

/** Whether a change touches `model`, which VAPI replaces as a whole on PATCH. */
export const touchesModel = (spec: Partial<AssistantSpec>) =>
  spec.systemPrompt !== undefined || spec.tools !== undefined || spec.toolIds !== undefined || spec.llm !== undefined;

/** The model with our changes applied onto `base`, keeping what we do not manage. */
function mergeModel(spec: Partial<AssistantSpec>, base: WireModel): WireModel {
  const otherMessages = (base.messages ?? []).filter((m) => m.role !== 'system');
  const systemPrompt = spec.systemPrompt ?? base.messages?.find((m) => m.role === 'system')?.content ?? '';
  return {
    ...base,
    ...(spec.llm ?? {}),
    messages: [{ role: 'system', content: systemPrompt }, ...otherMessages],
    tools: spec.tools ? spec.tools.map(toWireTool) : (base.tools ?? []),
    toolIds: spec.toolIds ?? base.toolIds ?? [],
  };
}

/**
 * The POST body for a new assistant, or with `currentModel` (the model VAPI has now) the
 * PATCH body for these changes: a model change must send the whole merged model.
 */
export function toWireAssistant(spec: Partial<AssistantSpec>, currentModel?: WireModel): WireAssistantBody {
  const body: WireAssistantBody = { analysisPlan: ANALYSIS_PLAN };
  if (spec.name !== undefined) body.name = spec.name;
  if (spec.firstMessage !== undefined) body.firstMessage = spec.firstMessage;
  if (spec.firstMessageMode !== undefined) body.firstMessageMode = spec.firstMessageMode;
  if (spec.maxDurationSeconds !== undefined) body.maxDurationSeconds = spec.maxDurationSeconds;
  if (spec.metadata !== undefined) body.metadata = spec.metadata;
  if (spec.voiceId !== undefined) {
    body.voice = { provider: '11labs', voiceId: spec.voiceId, ...(spec.voiceModel ? { model: spec.voiceModel } : {}) };
  }
  if (spec.voicemail !== undefined) {
    body.voicemailDetection = spec.voicemail.detect ? { provider: 'vapi' } : null;
    if (spec.voicemail.message !== undefined) body.voicemailMessage = spec.voicemail.message;
  }
  // VAPI dropped `server.secret` from its API; a static header delivers the same x-vapi-secret.
  if (spec.server !== undefined) {
    body.server = { url: spec.server.url, ...(spec.server.secret ? { headers: { 'x-vapi-secret': spec.server.secret } } : {}) };
  }
  if (spec.privacy !== undefined) {
    body.compliancePlan = { hipaaEnabled: spec.privacy.hipaa };
    body.artifactPlan = { recordingEnabled: spec.privacy.recording };
  }
  if (touchesModel(spec)) body.model = mergeModel(spec, currentModel ?? { ...DEFAULT_LLM });
  return body;
}

export function fromWireAssistant(w: WireAssistant): Assistant {
  const model = w.model ?? { ...DEFAULT_LLM };
  const headerSecret = w.server?.headers?.['x-vapi-secret'];
  const secret = typeof headerSecret === 'string' ? headerSecret : w.server?.secret;
  const metadata = Object.fromEntries(
    Object.entries(w.metadata ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  return {
    id: w.id,
    name: w.name ?? '',
    systemPrompt: model.messages?.find((m) => m.role === 'system')?.content ?? '',
    tools: (model.tools ?? []).map(fromWireTool).filter((t): t is AssistantTool => t !== undefined),
    toolIds: model.toolIds ?? [],
    llm: { provider: model.provider, model: model.model },
    ...(w.firstMessage !== undefined ? { firstMessage: w.firstMessage } : {}),
    ...(w.firstMessageMode !== undefined ? { firstMessageMode: w.firstMessageMode } : {}),
    ...(w.voice?.voiceId ? { voiceId: w.voice.voiceId } : {}),
    ...(w.voice?.model ? { voiceModel: w.voice.model } : {}),
    ...(w.voicemailDetection !== undefined || w.voicemailMessage !== undefined
      ? { voicemail: { detect: Boolean(w.voicemailDetection), ...(w.voicemailMessage !== undefined ? { message: w.voicemailMessage } : {}) } }
      : {}),
    ...(w.server?.url ? { server: { url: w.server.url, ...(secret ? { secret } : {}) } } : {}),
    ...(w.maxDurationSeconds !== undefined ? { maxDurationSeconds: w.maxDurationSeconds } : {}),
    metadata,
    createdAt: new Date(w.createdAt),
    updatedAt: new Date(w.updatedAt),
  };
}

const date = (iso: string | undefined) => (iso ? new Date(iso) : undefined);

/** Our view of a VAPI call, from the API's call object or an end-of-call report folded into one. */
export function fromWireCall(w: WireCall): VapiCall {
  const startedAt = date(w.startedAt);
  const endedAt = date(w.endedAt);
  const evaluation = w.analysis?.successEvaluation;
  return {
    id: w.id,
    type: (w.type ?? 'inboundPhoneCall') as CallType,
    status: (w.status ?? 'queued') as CallStatus,
    createdAt: new Date(w.createdAt),
    assistantId: w.assistantId,
    phoneNumberId: w.phoneNumberId,
    customerNumber: w.customer?.number,
    startedAt,
    endedAt,
    durationSeconds: startedAt && endedAt ? Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000)) : undefined,
    endedReason: w.endedReason,
    cost: w.cost,
    transcript: w.artifact?.transcript,
    summary: w.analysis?.summary,
    successEvaluation: evaluation === undefined ? undefined : String(evaluation),
    structuredData: w.analysis?.structuredData,
    recordingUrl: w.artifact?.recording?.mono?.combinedUrl ?? w.artifact?.recordingUrl,
    stereoRecordingUrl: w.artifact?.recording?.stereoUrl ?? w.artifact?.stereoRecordingUrl,
  };
}
