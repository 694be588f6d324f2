/** Twilio in our own vocabulary: telephony numbers, SIP trunks, SMS, browser-call tokens, A2P 10DLC. */

export interface NumberSearch {
  /** Three-digit US area code (NPA). */
  areaCode?: string;
  /** City name, e.g. "San Francisco". */
  locality?: string;
  /** At most this many results (Twilio caps a page at 1000). */
  limit?: number;
}

export interface AvailableNumber {
  phoneNumber: string;
  friendlyName: string;
  locality: string | null;
  /** Two-letter state. */
  region: string | null;
  postalCode: string | null;
  capabilities: { voice: boolean; sms: boolean; mms: boolean };
}

export interface BuyNumberInput {
  phoneNumber: string;
  friendlyName?: string;
  /** Where Twilio asks for TwiML when the number is called (ignored by Twilio when trunkSid is set). */
  voiceUrl?: string;
  /** Where Twilio posts inbound SMS. */
  smsUrl?: string;
  /** Where Twilio posts call status changes. */
  statusCallbackUrl?: string;
  /** Route the number's calls through this SIP trunk. */
  trunkSid?: string;
}

export interface OwnedNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  voiceUrl: string | null;
  smsUrl: string | null;
  statusCallbackUrl: string | null;
  trunkSid: string | null;
}

export interface SipTrunk {
  sid: string;
  friendlyName: string;
  domainName: string | null;
}

export type SmsStatus =
  | 'accepted'
  | 'scheduled'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'partially_delivered'
  | 'undelivered'
  | 'failed'
  | 'receiving'
  | 'received'
  | 'read'
  | 'canceled';

/** A sender is needed: `from` (one of our numbers), `messagingServiceSid`, or both. */
export interface SendSmsInput {
  /** Without it, the Messaging Service picks a number from its pool. */
  from?: string;
  to: string;
  body: string;
  /** Twilio posts each status change (queued, sent, delivered…) here, signed. */
  statusCallbackUrl?: string;
  /** Send through this Messaging Service (the A2P campaign's). */
  messagingServiceSid?: string;
}

export interface SmsMessage {
  sid: string;
  /** null until a Messaging Service has picked the sender. */
  from: string | null;
  to: string;
  body: string;
  status: SmsStatus;
  direction: 'inbound' | 'outbound-api' | 'outbound-call' | 'outbound-reply';
  numSegments: number;
  errorCode: number | null;
  createdAt: Date;
}

export interface VoiceToken {
  /** HS256 JWT signed with the API key secret, for the Twilio Voice JS SDK. */
  token: string;
  identity: string;
  expiresIn: number;
}

export type BrandType = 'STANDARD' | 'LOW_VOLUME_STANDARD' | 'SOLE_PROPRIETOR';
export type BrandStatus = 'PENDING' | 'IN_REVIEW' | 'APPROVED' | 'FAILED' | 'SUSPENDED' | 'DELETED';

export interface BrandInput {
  businessName: string;
  /** Receives TrustHub's status mails. */
  email: string;
  brandType: BrandType;
}

export interface Brand {
  sid: string;
  status: BrandStatus;
  brandType: BrandType;
  customerProfileBundleSid: string;
  a2pProfileBundleSid: string;
  /** Why the brand failed, when it did. */
  failureReason: string | null;
}

export interface MessagingService {
  sid: string;
  friendlyName: string;
}

export interface CampaignInput {
  messagingServiceSid: string;
  brandSid: string;
  /** Twilio's use-case code, e.g. ACCOUNT_NOTIFICATION, CUSTOMER_CARE, LOW_VOLUME, SOLE_PROPRIETOR. */
  useCase: string;
  description: string;
  /** How end users opt in. */
  messageFlow: string;
  messageSamples: string[];
  hasEmbeddedLinks: boolean;
  hasEmbeddedPhone: boolean;
}

export type CampaignStatus = 'PENDING' | 'IN_PROGRESS' | 'VERIFIED' | 'FAILED';

export interface Campaign {
  sid: string;
  messagingServiceSid: string;
  brandSid: string;
  useCase: string;
  description: string;
  status: CampaignStatus;
  /** The Campaign Registry id, once verified. */
  campaignId: string | null;
  failureReason: string | null;
}

/** Failures are ProviderError('twilio', status): `notFound` tells an unknown sid from other errors. */
export interface TwilioProvider {
  /** US local numbers for sale, by area code and/or city. */
  searchLocalNumbers(search: NumberSearch): Promise<AvailableNumber[]>;
  /** Buys a number and points its voice/SMS webhooks (or its SIP trunk) at us. */
  buyNumber(input: BuyNumberInput): Promise<OwnedNumber>;
  /** One of our numbers, by its PN sid. */
  getNumber(sid: string): Promise<OwnedNumber>;
  /** Releases a number back to Twilio (billing stops). */
  releaseNumber(sid: string): Promise<void>;
  /** Creates an Elastic SIP trunk. */
  createSipTrunk(input: { friendlyName: string; domainName?: string }): Promise<SipTrunk>;
  /** One SIP trunk, by its TK sid. */
  getSipTrunk(sid: string): Promise<SipTrunk>;
  /** Sends an SMS; its status changes are posted to statusCallbackUrl. */
  sendSms(input: SendSmsInput): Promise<SmsMessage>;
  /** One message, by its SM sid. */
  getSms(sid: string): Promise<SmsMessage>;
  /** Access token for browser calls through the TwiML app (local: no request to Twilio). */
  createVoiceToken(input: { identity: string; ttlSeconds?: number; incomingAllow?: boolean }): Promise<VoiceToken>;
  /** Creates a Messaging Service: the sender pool an A2P campaign is registered on. */
  createMessagingService(input: { friendlyName: string; inboundRequestUrl?: string; statusCallbackUrl?: string }): Promise<MessagingService>;
  /** Adds one of our numbers to a Messaging Service's sender pool. */
  addNumberToMessagingService(serviceSid: string, numberSid: string): Promise<void>;
  /** Registers an A2P brand: TrustHub customer profile + A2P trust product, then the brand itself. */
  createBrand(input: BrandInput): Promise<Brand>;
  /** A brand registration's current state, by its BN sid. */
  getBrand(sid: string): Promise<Brand>;
  /** Submits an A2P campaign (Usa2p) on a Messaging Service for an approved brand. */
  createCampaign(input: CampaignInput): Promise<Campaign>;
  /** A campaign's current state, by its service and QE sid. */
  getCampaign(messagingServiceSid: string, campaignSid: string): Promise<Campaign>;
}
