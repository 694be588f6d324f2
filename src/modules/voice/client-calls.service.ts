import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { clientCalls, organizations, phoneNumbers } from '../../db/schema/index.js';
import { isE164 } from '../../domain/phone.js';
import { CALL_STATUS_ORDER } from '../../domain/twilio-status.js';
import type { AuthContext } from '../auth/sessions.js';
import { AppError } from '../../errors.js';

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
const REFUSE = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Sorry, this call cannot be completed.</Say><Hangup/></Response>';

/** `client:org_<uuid>:user_<uuid>` or `…:widget_<uuid>` → the organization and who is calling. */
export function parseClientIdentity(from: string | undefined) {
  const m = /^client:(org_([0-9a-f-]{36}):(user|widget)_[0-9a-f-]{36})$/.exec(from ?? '');
  return m ? { identity: m[1]!, organizationId: m[2]!, kind: m[3] as 'user' | 'widget' } : undefined;
}

/**
 * TwiML for a browser or widget call. A widget visitor always reaches the business's own
 * number (the assistant answers it); a dashboard user (Enterprise) may dial a customer,
 * shown with the business's number as caller id.
 */
export async function voiceTwiml(ctx: AppContext, p: { CallSid?: string; From?: string; To?: string }) {
  const caller = parseClientIdentity(p.From);
  if (!caller || !p.CallSid) return REFUSE;
  const [number] = await ctx.db.select().from(phoneNumbers).where(eq(phoneNumbers.organizationId, caller.organizationId));
  if (!number) return REFUSE;
  const to = caller.kind === 'user' && p.To && isE164(p.To) ? p.To : number.number;
  await ctx.db
    .insert(clientCalls)
    .values({ callSid: p.CallSid, organizationId: caller.organizationId, identity: caller.identity, to, status: 'initiated' })
    .onConflictDoNothing();
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Dial callerId="${escapeXml(number.number)}"><Number>${escapeXml(to)}</Number></Dial></Response>`;
}

const rank = (status: unknown) => sql`array_position(${sql.raw(`ARRAY[${CALL_STATUS_ORDER.map((s) => `'${s}'`).join(',')}]`)}::text[], ${status})`;

/** Status callbacks move a client call forward only (they can arrive out of order). */
export async function clientCallStatus(ctx: AppContext, p: { CallSid?: string; CallStatus?: string; CallDuration?: string }) {
  if (!p.CallSid || !p.CallStatus) return false;
  const rows = await ctx.db
    .update(clientCalls)
    .set({
      status: p.CallStatus,
      durationSeconds: p.CallDuration ? Number(p.CallDuration) || null : sql`${clientCalls.durationSeconds}`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(clientCalls.callSid, p.CallSid), sql`coalesce(${rank(sql`${p.CallStatus}::text`)}, -1) > coalesce(${rank(clientCalls.status)}, -1)`))
    .returning({ sid: clientCalls.callSid });
  return rows.length > 0;
}

/** A Twilio Voice access token for calling from the dashboard (Enterprise), valid one hour. */
export async function browserToken(ctx: AppContext, auth: AuthContext) {
  const [number] = await ctx.db.select().from(phoneNumbers).where(eq(phoneNumbers.organizationId, auth.organizationId));
  if (!number) throw new AppError('BAD_REQUEST', 'Provision a phone number before calling from the browser');
  const identity = `org_${auth.organizationId}:user_${auth.userId}`;
  const token = await ctx.providers.twilio.createVoiceToken({ identity, ttlSeconds: 3600, incomingAllow: true });
  return { token: token.token, identity, phoneNumber: number.number, expiresIn: token.expiresIn };
}

export const organizationName = async (ctx: AppContext, organizationId: string) =>
  (await ctx.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, organizationId)))[0]?.name ?? '';
