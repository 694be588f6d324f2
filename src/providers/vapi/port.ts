/** VAPI (the voice runtime) in our own vocabulary: no SDK types cross this line. */

export type FirstMessageMode =
  | 'assistant-speaks-first'
  | 'assistant-waits-for-user'
  | 'assistant-speaks-first-with-model-generated-message';

export type TransferMode = 'blind-transfer' | 'warm-transfer-say-summary';

/** A tool defined inline on the assistant (knowledge bases are separate tools, attached by id). */
export type AssistantTool =
  | {
      type: 'function';
      name: string;
      description: string;
      /** JSON Schema of the arguments object. */
      parameters: Record<string, unknown>;
    }
  | {
      type: 'transferCall';
      destinations: Array<{ number: string; mode: TransferMode; message?: string; description?: string }>;
    }
  | { type: 'endCall' };

/** Where VAPI sends the assistant's server messages, and the secret it sends as `x-vapi-secret`. */
export interface AssistantServer {
  url: string;
  secret?: string;
}

export interface AssistantSpec {
  name: string;
  systemPrompt: string;
  firstMessage?: string;
  firstMessageMode?: FirstMessageMode;
  /** An ElevenLabs voice id. */
  voiceId?: string;
  /** The ElevenLabs model the voice speaks with (e.g. eleven_multilingual_v2); sent with voiceId. */
  voiceModel?: string;
  /** Voicemail detection on outbound calls, and what to leave on a machine. */
  voicemail?: { detect: boolean; message?: string };
  /** The LLM behind the assistant; defaults to openai gpt-4o. */
  llm?: { provider: string; model: string };
  tools?: AssistantTool[];
  /** Saved tools to attach, such as the knowledge-base query tool. */
  toolIds?: string[];
  server?: AssistantServer;
  maxDurationSeconds?: number;
  metadata?: Record<string, string>;
  /** The organization's privacy choice at VAPI: HIPAA mode, and whether calls are recorded at all. */
  privacy?: { hipaa: boolean; recording: boolean };
}

export interface Assistant {
  id: string;
  name: string;
  systemPrompt: string;
  tools: AssistantTool[];
  toolIds: string[];
  firstMessage?: string;
  firstMessageMode?: FirstMessageMode;
  voiceId?: string;
  voiceModel?: string;
  voicemail?: { detect: boolean; message?: string };
  llm: { provider: string; model: string };
  server?: AssistantServer;
  maxDurationSeconds?: number;
  metadata: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

export interface UploadedFile {
  id: string;
  name: string;
  /** Where VAPI keeps the content. */
  url: string;
  status: 'processing' | 'done' | 'failed';
}

export interface KnowledgeBaseTool {
  id: string;
  name: string;
  fileIds: string[];
}

export interface ImportedPhoneNumber {
  id: string;
  /** E.164. */
  number: string;
  assistantId?: string;
  status: string;
}

export type CallType = 'inboundPhoneCall' | 'outboundPhoneCall' | 'webCall' | 'vapi.websocketCall';
export type CallStatus = 'scheduled' | 'queued' | 'ringing' | 'in-progress' | 'forwarding' | 'ended' | 'not-found' | 'deletion-failed';

/** A call as VAPI reports it. Duration is derived: endedAt − startedAt (VAPI has no duration field). */
export interface VapiCall {
  id: string;
  type: CallType;
  status: CallStatus;
  assistantId?: string;
  phoneNumberId?: string;
  customerNumber?: string;
  createdAt: Date;
  startedAt?: Date;
  endedAt?: Date;
  /** Whole seconds, rounded; undefined until the call has started and ended. */
  durationSeconds?: number;
  endedReason?: string;
  /** US dollars, as VAPI bills it. */
  cost?: number;
  transcript?: string;
  summary?: string;
  successEvaluation?: string;
  /** `analysis.structuredData`: the call outcome, unchecked (see domain/call-outcome). */
  structuredData?: unknown;
  recordingUrl?: string;
  stereoRecordingUrl?: string;
}

export interface ListCallsFilter {
  /** Only calls created strictly after this instant. */
  createdAfter?: Date;
  /** Only calls created strictly before this instant (to page backwards). */
  createdBefore?: Date;
  assistantId?: string;
  /** At most this many, newest first (VAPI's default is 100). */
  limit?: number;
}

/** Everything we ask of VAPI. Methods throw ProviderError (status kept: `notFound` for 404). */
export interface VapiProvider {
  /** Creates an assistant from our spec. */
  createAssistant(spec: AssistantSpec): Promise<Assistant>;
  /** Reads an assistant; ProviderError 404 when VAPI no longer has it. */
  getAssistant(id: string): Promise<Assistant>;
  /** Changes only the given fields; model fields are merged with the current model, as VAPI replaces the whole model. */
  updateAssistant(id: string, changes: Partial<AssistantSpec>): Promise<Assistant>;
  /** Deletes an assistant. */
  deleteAssistant(id: string): Promise<void>;
  /** Uploads a knowledge-base document (multipart). */
  uploadFile(file: { name: string; content: Uint8Array | string; contentType?: string }): Promise<UploadedFile>;
  /** Deletes an uploaded file. */
  deleteFile(id: string): Promise<void>;
  /** Creates a knowledge-base query tool over these files; attach it with `toolIds`. */
  createKnowledgeBaseTool(kb: { name: string; description: string; fileIds: string[] }): Promise<KnowledgeBaseTool>;
  /** Replaces what a knowledge-base tool searches (VAPI replaces the whole knowledge-base entry). */
  updateKnowledgeBaseTool(id: string, kb: { name: string; description: string; fileIds: string[] }): Promise<KnowledgeBaseTool>;
  /** Deletes a saved tool. */
  deleteTool(id: string): Promise<void>;
  /** Imports a number we own on Twilio so VAPI answers it with the assistant. */
  importTwilioNumber(number: {
    number: string;
    twilioAccountSid: string;
    twilioAuthToken: string;
    assistantId: string;
    name?: string;
  }): Promise<ImportedPhoneNumber>;
  /** Releases an imported number from VAPI (the Twilio number itself stays). */
  deletePhoneNumber(id: string): Promise<void>;
  /** Dials a customer from an imported number. Not retried on 5xx: a retry could dial twice. */
  createOutboundCall(call: { assistantId: string; phoneNumberId: string; customerNumber: string; customerName?: string }): Promise<VapiCall>;
  /** Reads one call. */
  getCall(id: string): Promise<VapiCall>;
  /** Lists calls, newest first: what the sync job uses to recover missed end-of-call reports. */
  listCalls(filter?: ListCallsFilter): Promise<VapiCall[]>;
  /** Deletes VAPI's copy of a call (its transcript, recording and artifacts); 404 once gone. */
  deleteCall(id: string): Promise<void>;
}
