/**
 * Response shapes of the API routes the dashboard reads. More and more are taken from
 * api-schema.d.ts, generated from /api/openapi.json (`npm run api:types`, run by
 * `npm run typecheck`), so a server change that breaks a page fails the typecheck; the
 * rest are still written down here, with the route they come from. Pure domain types and
 * tables (plans, prompt sections, hours) and the DB enums are imported from the server
 * source instead (`import type` where only the type is needed, so nothing ships).
 */
import type { Feature, PlanTier } from '../../src/domain/plans';
import type { CheckoutOutcome, Standing } from '../../src/domain/subscriptions';
import type { BusinessHours } from '../../src/domain/hours';
import type { FirstMessageMode } from '../../src/db/schema/assistants';
import type { CallStatus } from '../../src/db/schema/calls';
import type { UserRole } from '../../src/db/schema/accounts';
import type { A2pStatus } from '../../src/db/schema/messaging';
import type { AfterHoursMode } from '../../src/db/schema/insights';
import type { DELIVERY_STATUSES, WebhookEventType } from '../../src/db/schema/integrations';

import type { paths } from './api-schema';

/** The JSON a GET route answers with 200, as the OpenAPI document declares it. */
type Get<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer T } } } } } ? T : never;

export type { A2pStatus, AfterHoursMode, BusinessHours, CallStatus, FirstMessageMode, UserRole, WebhookEventType };

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
export type Usage = Get<'/api/usage'>;

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
  outcome: CallOutcome | null;
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
export type CallDetail = Get<'/api/calls/{id}'>;

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

/** GET /api/onboarding */
export interface OnboardingStatus {
  completed: boolean;
  completedAt: string | null;
  /** The answers saved so far (OnboardingAnswers, as the server stored them). */
  data: Partial<OnboardingAnswers>;
  phoneNumber: string | null;
  organizationName: string;
  /** Sandbox mode: the sample practice's website, to try the reader offline; null otherwise. */
  sampleWebsiteUrl: string | null;
  /** Steps finished so far (phone steps are dropped once the number is stored); readable mid-run. */
  provisioning: { stepsDone: string[]; lastError: { step: string; message: string; at: string } | null };
}

/** The wizard's answers: `onboardingData` of POST /api/onboarding. */
export interface OnboardingAnswers {
  businessName: string;
  businessType: string;
  description: string;
  websiteUrl: string;
  voiceId: string;
  voiceName: string;
  hours: BusinessHours;
  timezone: string;
  address: string;
  phone: string;
  areaCode: string;
  transferNumber: string;
  /** The wizard step to resume at after a reload (0 website … 3 go live). */
  step: number;
}

/** POST /api/onboarding/analyze */
export interface WebsiteAnalysis {
  extractedData: {
    businessName: string | null;
    businessType: string | null;
    description: string | null;
    phone: string | null;
    address: string | null;
    hours: BusinessHours | null;
    email: string | null;
  };
  businessName: string | null;
  pagesScraped: number;
  scrapeWarnings: string[];
}

/** POST /api/onboarding */
export interface OnboardingResult {
  success: true;
  completed: boolean;
  phoneNumber: string | null;
  provisioningErrors: Array<{ step: string; message: string }>;
}

/** GET /api/kb */
export interface KbSection {
  key: string;
  label: string;
  text: string;
  vapiFileId: string | null;
  fileName: string;
  updatedAt: string;
}
export interface KnowledgeBase {
  assistantId: string;
  vapiAssistantId: string;
  canEdit: boolean;
  sections: KbSection[];
}

/** POST /api/kb/upload */
export interface KbUpload {
  fileId: string;
  fileName: string;
  fileSize: number;
}

/** POST /api/kb/refresh */
export interface KbRefresh {
  pagesChecked: number;
  pagesChanged: number;
  uploaded: boolean;
  errors: number;
}

/** GET /api/phone-numbers */
export interface PhoneNumberInfo {
  phoneNumber: string | null;
  vapiPhoneNumberId: string | null;
  twilioPhoneNumberSid: string | null;
  hasSipTrunk: boolean;
  hasAssistant: boolean;
  assistantName: string | null;
}

/** GET /api/phone-numbers/search */
export interface NumberSearch {
  numbers: Array<{ phoneNumber: string; locality: string | null; region: string | null }>;
}

export type TransferMode = 'blind' | 'warm';

/** GET /api/transfer-number */
export interface TransferNumber {
  transferNumber: string | null;
  transferMode: TransferMode;
  canEdit: boolean;
}

export type SmsDirection = 'INBOUND' | 'OUTBOUND';

/** GET /api/sms/threads */
export interface SmsThreadList {
  threads: Array<{ number: string; lastBody: string; lastDirection: SmsDirection; lastAt: string; unread: number; optedOut: boolean }>;
}

/** GET /api/sms/threads/:number */
export interface SmsThread {
  number: string;
  optedOut: boolean;
  messages: Array<{ id: string; direction: SmsDirection; body: string; status: string; createdAt: string; missedCallText: boolean }>;
}

/** GET /api/sms/logs */
export interface SmsLogPage {
  logs: Array<{ id: string; direction: SmsDirection; from: string; to: string; body: string; status: string; createdAt: string }>;
  pagination: { page: number; limit: number; total: number; totalPages: number };
}

/** GET /api/a2p/status */
export interface A2pStatusView {
  status: A2pStatus;
  paid: boolean;
  brandType: string | null;
  messagingServiceSid: string | null;
  smsUsed: number;
  hasSmsSubscription: boolean;
  failureReason: string | null;
}

/** GET /api/calendar/status */
export interface CalendarStatus {
  connected: boolean;
  provider: 'CAL_COM' | null;
  config: { eventTypeId: number } | null;
  connectedAt: string | null;
  canEdit: boolean;
}

/** POST /api/calendar/event-types: one of the Cal.com account's event types; `length` in minutes. */
export interface CalendarEventType {
  id: number;
  title: string;
  length: number;
}

/** GET /api/calendar/test */
export interface CalendarTest {
  ok: boolean;
  timestamp: string;
  steps: Array<{ name: string; ok: boolean; error?: string }>;
}

/** GET /api/members */
export interface MemberList {
  members: Array<{ id: string; name: string; email: string; role: UserRole; createdAt: string }>;
  invites: Array<{ id: string; email: string; role: UserRole; expiresAt: string }>;
}

/** GET /api/api-keys */
export interface ApiKey {
  id: string;
  label: string;
  prefix: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  createdAt: string;
}
/** POST /api/api-keys: the full key, this once. */
export type CreatedApiKey = ApiKey & { key: string };

/** GET /api/embed-token */
export interface EmbedToken {
  id: string;
  label: string;
  tokenPrefix: string;
  allowedDomains: string[];
  lastUsedAt: string | null;
  createdAt: string;
}
/** POST /api/embed-token: the full token, this once. */
export interface CreatedEmbedToken {
  token: string;
  prefix: string;
  label: string;
}

/** GET /api/subscription/status */
export type SubscriptionStatus = Get<'/api/subscription/status'>;

/** GET /api/stripe/checkout/:sessionId */
export interface CheckoutResult {
  id: string;
  purpose: 'plan' | 'a2p-fee' | 'other';
  outcome: CheckoutOutcome;
  tier: PlanTier | null;
  plan: PlanTier;
  standing: Standing | null;
}

export type OverageStatus = 'PENDING' | 'INVOICED' | 'PAID' | 'FAILED' | 'GAVE_UP';

/** GET /api/billing/history */
export type BillingHistory = Get<'/api/billing/history'>;

/** POST /api/subscription/cancel */
export interface Cancellation {
  success: true;
  cancelledAt: string;
  effectiveAt: string;
  deletionAt: string;
}

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

/** GET /api/analytics */
export type Analytics = Get<'/api/analytics'>;

/** One call of GET /api/digest */
export type DigestCall = Digest['calls'][number];

/** GET /api/digest */
export type Digest = Get<'/api/digest'>;

/** GET /api/blocked-numbers */
export interface BlockedNumber {
  id: string;
  number: string;
  reason: string | null;
  createdAt: string;
}

/** GET /api/voicemail */
export interface Voicemail {
  enabled: boolean;
  message: string | null;
}

/** GET /api/webhook-endpoints */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  secretPrefix: string;
  createdAt: string;
  updatedAt: string;
}
/** POST /api/webhook-endpoints and …/rotate-secret: the signing secret, this once. */
export type WebhookEndpointWithSecret = WebhookEndpoint & { secret: string };

/** GET /api/webhook-endpoints/:id/deliveries */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  status: (typeof DELIVERY_STATUSES)[number];
  attempts: number;
  responseStatusCode: number | null;
  error: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}
export interface WebhookDeliveryPage {
  deliveries: WebhookDelivery[];
  nextCursor: string | null;
}

/** GET /api/follow-ups */
export interface FollowUp {
  callId: string;
  status: 'open' | 'done';
  urgent: boolean;
  callerName: string | null;
  customerNumber: string | null;
  callbackNumber: string | null;
  reason: string | null;
  callbackRequested: boolean;
  voicemail: boolean;
  startedAt: string | null;
  createdAt: string;
  assignedTo: string | null;
  assigneeName: string | null;
  doneAt: string | null;
  note: string | null;
}
export interface FollowUpPage {
  followUps: FollowUp[];
  nextCursor: string | null;
}

/** What the call was about (VAPI's structured data). */
export interface CallOutcome {
  callerName: string | null;
  reason: string | null;
  category: 'appointment' | 'question' | 'quote' | 'complaint' | 'spam' | 'other';
  urgent: boolean;
  callbackRequested: boolean;
  callbackNumber: string | null;
  appointmentBooked: boolean;
}
