/** The carrier-standard keywords (CTIA; what Twilio's Advanced Opt-Out recognizes). */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES']);

/** What an inbound text says about consent: the whole message must be one keyword ("stop." counts, "don't stop" does not). */
export function consentKeyword(body: string): 'opt-out' | 'opt-in' | undefined {
  const word = body.trim().replace(/[.!\s]+$/, '').toUpperCase();
  if (OPT_OUT.has(word)) return 'opt-out';
  if (OPT_IN.has(word)) return 'opt-in';
  return undefined;
}
