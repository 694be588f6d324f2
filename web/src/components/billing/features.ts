import type { Feature } from '../../../../src/domain/plans';

/** What each plan feature means to a business owner. */
export const FEATURE_LABELS: Record<Feature, string> = {
  knowledgeBase: 'Knowledge base and document upload',
  transcripts: 'Call transcripts',
  overage: 'Keep answering past your minutes',
  recordings: 'Call recordings',
  analytics: 'Call analytics',
  editVoice: 'Choose the voice',
  editPrompt: 'Edit the instructions',
  regeneratePrompt: 'Rewrite instructions with AI',
  transferNumber: 'Transfer calls to a person',
  calendar: 'Book appointments (Cal.com)',
  editAssistantName: 'Name your assistant',
  sms: 'Text messages',
  a2p: 'SMS carrier registration',
  embedWidget: 'Call button for your website',
  outbound: 'Outbound calls',
  browserCalling: 'Calls from the browser',
};
