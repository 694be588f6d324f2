import type { AppContext } from '../../context.js';
import type { CallReport } from '../../domain/calls.js';
import { DEFAULT_MISSED_CALL_TEXT, isMissedCall, renderMissedCallText } from '../../domain/missed-call.js';
import { hasFeature, type PlanTier } from '../../domain/plans.js';
import type { AuthContext } from '../auth/sessions.js';
import { sendFromBusiness } from '../sms/sms.service.js';
import * as repo from './missed-call-text.repo.js';

export async function getSettings(ctx: AppContext, auth: AuthContext) {
  const row = await repo.findSettings(ctx.db, auth.organizationId);
  return { enabled: row?.enabled ?? false, message: row?.message ?? DEFAULT_MISSED_CALL_TEXT };
}

export async function putSettings(ctx: AppContext, auth: AuthContext, input: { enabled: boolean; message: string }) {
  await repo.saveSettings(ctx.db, auth.organizationId, input);
  return getSettings(ctx, auth);
}

/** A report older than this is history (the sync job catching up), not a caller to text now. */
const FRESH_MS = 60 * 60_000;

export type TextBackOutcome = 'sent' | 'not-missed' | 'off' | 'not-allowed' | 'already-texted' | 'failed';

/**
 * Texts a caller whose inbound call ended without a conversation: only when the setting is
 * on, the plan has SMS, A2P is approved, and the caller is neither blocked nor opted out;
 * at most once per caller per 24 h (the claim row decides, whatever the concurrency).
 */
export async function textBackMissedCall(ctx: AppContext, organizationId: string, callId: string, report: CallReport): Promise<TextBackOutcome> {
  const number = report.customerNumber;
  const now = ctx.now();
  if (!number || !isMissedCall(report) || now.getTime() - (report.endedAt ?? now).getTime() > FRESH_MS) return 'not-missed';
  const target = await repo.textBackTarget(ctx.db, organizationId, number);
  if (!target?.enabled) return 'off';
  if (!hasFeature(target.plan as PlanTier, 'sms') || target.a2pStatus !== 'CAMPAIGN_APPROVED' || target.blocked || target.optedOut) return 'not-allowed';
  if (!(await repo.claimTextBack(ctx.db, { organizationId, number, callId, now }))) return 'already-texted';
  try {
    const sent = await sendFromBusiness(ctx, organizationId, { to: number, body: renderMissedCallText(target.message, target.business) });
    await repo.recordTextSid(ctx.db, organizationId, number, callId, sent.messageSid);
    return 'sent';
  } catch (err) {
    await repo.releaseClaim(ctx.db, organizationId, number, callId);
    ctx.log.warn({ err, organizationId, callId }, 'missed-call text not sent');
    return 'failed';
  }
}
