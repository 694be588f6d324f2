import type { CallReport } from './calls.js';

export const MISSED_CALL_TEXT_MAX = 320;
export const DEFAULT_MISSED_CALL_TEXT = 'Sorry we missed your call at {business}. Reply here and we will get back to you, or call us again anytime.';

/**
 * VAPI endedReasons that mean nobody reached the caller: the assistant never joined or
 * was never found, the pipeline or carrier failed before answering, or nobody spoke.
 * (VAPI's documented codes: calls/call-ended-reason.)
 */
const NO_ONE_REACHED =
  /^(silence-timed-out|customer-busy|customer-did-not-answer|assistant-join-timed-out|assistant-not-(found|valid|provided)|assistant-request-|call-start-error|call\.start\.error|pipeline-error|twilio-failed-to-connect-call|phone-call-provider-|no-server-available|db-error)/;

/** Did the caller say anything to the assistant? A user turn in the messages or the transcript. */
function callerSpoke(report: CallReport) {
  if (report.messages?.some((m) => (m.role === 'user' || m.role === 'customer') && typeof m.message === 'string' && m.message.trim() !== '')) return true;
  return /^(user|customer):\s*\S/im.test(report.transcript ?? '');
}

/**
 * An inbound call that ended without a conversation: a reason that means no one was
 * reached, or the caller hung up before saying anything (before or during the greeting).
 * A transferred call reached a person, whatever was said.
 */
export function isMissedCall(report: CallReport) {
  if (report.type !== 'inboundPhoneCall' || !report.customerNumber) return false;
  const reason = report.endedReason ?? '';
  if (reason.includes('forwarded') || reason.includes('transfer')) return false;
  return NO_ONE_REACHED.test(reason) || !callerSpoke(report);
}

/** The message with the business's name in place of {business}. */
export const renderMissedCallText = (template: string, business: string) => template.replaceAll('{business}', business);
