/**
 * Twilio delivers status callbacks out of order (and retries): a status may only replace
 * one that comes before it. Final states share the top ranks.
 */
export const SMS_STATUS_ORDER = ['accepted', 'scheduled', 'queued', 'sending', 'sent', 'undelivered', 'failed', 'delivered', 'read'] as const;
export const CALL_STATUS_ORDER = ['queued', 'initiated', 'ringing', 'in-progress', 'busy', 'no-answer', 'canceled', 'failed', 'completed'] as const;

export const statusRank = (order: readonly string[], status: string) => order.indexOf(status);

/** True when `next` may replace `current`. Unknown statuses never replace a known one. */
export function movesForward(order: readonly string[], current: string, next: string): boolean {
  const n = statusRank(order, next);
  return n >= 0 && n > statusRank(order, current);
}
