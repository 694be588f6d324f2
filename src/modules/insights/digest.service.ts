import type { AppContext } from '../../context.js';
import { minutesOf } from '../../domain/calls.js';
import { effectiveMinutesLimit } from '../../domain/plans.js';
import { AppError } from '../../errors.js';
import { addDays, localDate } from '../analytics/dates.js';
import { getProfile } from '../assistants/assistants.repo.js';
import { organizationWithUsage } from '../billing/usage.repo.js';
import { renderDigestEmail } from './digest.render.js';
import * as repo from './digest.repo.js';

/** Calls, missed calls and bookings listed per digest; the totals always count them all. */
export const DIGEST_LIST_LIMIT = 100;
const SUMMARY_CHARS = 140;

/** A summary as one line: first line, spaces collapsed, cut at a word near 140 characters. */
export function oneLine(summary: string | null): string | null {
  const line = summary?.split(/\r?\n/).find((l) => l.trim())?.replace(/\s+/g, ' ').trim();
  if (!line) return null;
  if (line.length <= SUMMARY_CHARS) return line;
  const cut = line.slice(0, SUMMARY_CHARS - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 80 ? cut.lastIndexOf(' ') : cut.length)}…`;
}

const clock = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(at);
const dayAndTime = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(at);

export type Digest = Awaited<ReturnType<typeof buildDigest>>;

/**
 * One business-local day on the phone: totals, each call with a one-line summary, the
 * bookings, the missed opportunities (quick hang-ups, voicemail) and the minutes left in
 * the cycle (as of now). The JSON of the digest page and the content of the email.
 */
export async function buildDigest(ctx: AppContext, organizationId: string, day: string) {
  const profile = await getProfile(ctx.db, organizationId);
  const timeZone = profile.timezone;
  const [data, usage] = await Promise.all([
    repo.digestDay(ctx.db, organizationId, day, timeZone, DIGEST_LIST_LIMIT),
    organizationWithUsage(ctx.db, organizationId),
  ]);
  if (!usage) throw new AppError('NOT_FOUND', 'Organization not found');
  const includedMinutes = effectiveMinutesLimit(usage.org);
  const usedMinutes = minutesOf(usage.usedSeconds);
  const call = (c: repo.DigestCallRow) => ({
    id: c.id,
    startedAt: c.startedAt.toISOString(),
    time: clock(c.startedAt, timeZone),
    customerNumber: c.customerNumber,
    durationSeconds: c.durationSeconds,
    endedReason: c.endedReason,
    outcome: c.outcome,
    summary: oneLine(c.summary),
  });
  return {
    date: day,
    timezone: timeZone,
    organizationName: usage.org.name,
    totals: {
      calls: data.totals.calls,
      minutes: minutesOf(data.totals.seconds),
      bookings: data.totals.bookings,
      transfers: data.totals.transfers,
      hangUps: data.totals.hangUps,
      voicemail: data.totals.voicemail,
    },
    calls: data.calls.map(call),
    /** Calls beyond the listed ones (the totals count them). */
    moreCalls: Math.max(0, data.totals.calls - data.calls.length),
    bookings: data.bookings.map((b) => ({
      attendeeName: b.attendeeName,
      attendeePhone: b.attendeePhone,
      startsAt: b.startsAt.toISOString(),
      startsAtLocal: dayAndTime(b.startsAt, timeZone),
      bookedAt: b.createdAt.toISOString(),
    })),
    missed: data.missed.map(call),
    minutes: {
      used: usedMinutes,
      included: includedMinutes,
      left: Math.max(0, Math.round((includedMinutes - usedMinutes) * 100) / 100),
      overageEnabled: usage.org.overageEnabled,
      cycleEnd: usage.org.cycleEnd.toISOString(),
    },
  };
}

/**
 * The digest page: any day; by default the latest business-local day that has calls (a quiet
 * yesterday would open on nothing), or yesterday before the first call.
 */
export async function getDigest(ctx: AppContext, organizationId: string, date?: string) {
  if (date) return buildDigest(ctx, organizationId, date);
  const { timezone } = await getProfile(ctx.db, organizationId);
  const now = ctx.now();
  const day = (await repo.latestCallDay(ctx.db, organizationId, timezone, now)) ?? addDays(localDate(now, timezone), -1);
  return buildDigest(ctx, organizationId, day);
}

/**
 * The daily-digest job (hourly): for every organization whose clock reads 7 AM-something,
 * each opted-in user gets yesterday's digest once. The (user, day) row is claimed before
 * the mail goes out, so a second run, or a second instance, sends nothing more.
 */
export async function sendDailyDigests(ctx: AppContext) {
  const recipients = await repo.dueRecipients(ctx.db, ctx.now());
  const digests = new Map<string, Promise<Digest>>();
  let sent = 0;
  let skipped = 0;
  let errors = 0;
  for (const r of recipients) {
    try {
      const key = `${r.organizationId}:${r.day}`;
      if (!digests.has(key)) digests.set(key, buildDigest(ctx, r.organizationId, r.day));
      const digest = await digests.get(key)!;
      if (!(await repo.claimDelivery(ctx.db, r))) {
        skipped++;
        continue;
      }
      await ctx.mailer.send(renderDigestEmail(digest, { to: r.email, name: r.name, appUrl: ctx.config.appUrl }));
      sent++;
    } catch (err) {
      errors++;
      ctx.log.error({ err, userId: r.userId }, 'daily digest failed');
    }
  }
  return { organizations: new Set(recipients.map((r) => r.organizationId)).size, sent, skipped, errors };
}
