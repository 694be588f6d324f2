import { sql, type SQL } from 'drizzle-orm';
import { PLAN_TIERS, hasFeature } from '../../domain/plans.js';

/** Plans whose organizations may be texted from their own number. */
const SMS_TIERS = sql.raw(`ARRAY[${PLAN_TIERS.filter((t) => hasFeature(t, 'sms')).map((t) => `'${t}'`).join(',')}]::text[]`);
/** A report about a call that ended longer ago than this (the sync job's backfill) notifies no one. */
const NOTIFY_WITHIN = sql.raw(`interval '1 day'`);

/**
 * CTEs appended to the store-report statement, after `stored` (the call row as written):
 * open the call's follow-up and queue one notification per opted-in user and channel, in
 * the same statement, so the call and its notifications commit together. Set-based (one
 * INSERT … SELECT over the organization's users, not a query per user) and keyed
 * (follow-up per call, notification per call/user/channel), so repeated or concurrent
 * reports, and the sync job after the webhook, add nothing.
 *
 * Who is notified: a user's preferences (user_preferences), or without a choice the
 * default: owners by email for calls that need a follow-up, others not at all. Spam and
 * blocked callers notify no one and open no follow-up. SMS needs the plan's SMS feature,
 * an approved A2P campaign and the organization's number.
 */
export const enqueueAfterCall = (now: SQL) => sql`after_call as (
    select s.id, s.organization_id, s.customer_number, s.ended_at,
      coalesce((s.outcome->>'urgent')::boolean, false) as urgent,
      coalesce((s.outcome->>'callbackRequested')::boolean, false) or coalesce((s.outcome->>'urgent')::boolean, false)
        or coalesce(s.ended_reason ilike '%voicemail%', false) as needs_follow_up,
      coalesce(s.outcome->>'category', '') <> 'spam'
        and not exists (select 1 from blocked_numbers b where b.organization_id = s.organization_id and b.number = s.customer_number) as wanted
    from stored s
  ), opened as (
    insert into follow_ups (call_id, organization_id, urgent, created_at)
    select id, organization_id, urgent, ${now} from after_call where wanted and needs_follow_up
    on conflict (call_id) do nothing
    returning 1
  ), notify as (
    insert into notifications (organization_id, call_id, user_id, channel, "to", next_attempt_at, created_at)
    select a.organization_id, a.id, u.id, ch.channel, ch.address, ${now}, ${now}
    from after_call a
    join users u on u.organization_id = a.organization_id
    left join user_preferences p on p.user_id = u.id
    cross join lateral (values
      ('email', u.email, coalesce(p.notify_email, u.role = 'owner')),
      ('sms', p.sms_number, coalesce(p.notify_sms, false)
        and exists (select 1 from organizations o where o.id = a.organization_id and o.plan = any(${SMS_TIERS}))
        and exists (select 1 from a2p_registrations r where r.organization_id = a.organization_id and r.status = 'CAMPAIGN_APPROVED')
        and exists (select 1 from phone_numbers n where n.organization_id = a.organization_id))
    ) as ch(channel, address, opted)
    where a.wanted and ch.opted and ch.address is not null
      and (a.ended_at is null or a.ended_at > ${now} - ${NOTIFY_WITHIN})
      and case coalesce(p.notify_trigger, case when u.role = 'owner' then 'follow_up_only' else 'off' end)
        when 'every_call' then true when 'follow_up_only' then a.needs_follow_up else false end
    on conflict (call_id, user_id, channel) do nothing
    returning call_id
  )`;
