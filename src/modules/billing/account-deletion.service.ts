import { and, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { assistants, calls, kbSections, mailOutbox, organizations, phoneNumbers, users, webhookEvents } from '../../db/schema/index.js';
import { ProviderError } from '../../providers/errors.js';

/**
 * The organizations whose data is due to go: their subscription was cancelled and the grace
 * period after it took effect (`deletionAt`, shown when they cancelled) has passed. A
 * resubscription syncs a paying status and clears `deletionAt`, which takes them off this list.
 */
const dueForDeletion = (now: Date): SQL =>
  sql`exists (select 1 from subscriptions s where s.organization_id = ${organizations.id}
    and s.status = 'canceled' and s.deletion_at <= ${now.toISOString()}::timestamptz)`;

/** A provider delete; a resource already gone there is what we wanted. */
async function gone(deleting: Promise<void>) {
  try {
    await deleting;
  } catch (err) {
    if (!(err instanceof ProviderError && err.notFound)) throw err;
  }
}

/** What an organization holds at VAPI and Twilio. */
async function providerResources(ctx: AppContext, organizationId: string) {
  const [numbers, files, owned] = await Promise.all([
    ctx.db
      .select({ twilioSid: phoneNumbers.twilioPhoneNumberSid, vapiId: phoneNumbers.vapiPhoneNumberId })
      .from(phoneNumbers)
      .where(eq(phoneNumbers.organizationId, organizationId)),
    ctx.db
      .select({ vapiFileId: kbSections.vapiFileId })
      .from(kbSections)
      .where(and(eq(kbSections.organizationId, organizationId), isNotNull(kbSections.vapiFileId))),
    ctx.db.select({ vapiId: assistants.vapiAssistantId, kbToolId: assistants.kbToolId }).from(assistants).where(eq(assistants.organizationId, organizationId)),
  ]);
  return { numbers, fileIds: files.map((f) => f.vapiFileId!), assistants: owned };
}

/**
 * Releases one due organization's phone number (Twilio bills for it monthly) and deletes its
 * assistants, tools and files at VAPI, then its rows (by cascade), the VAPI events of its
 * calls and the mail sent to its users, which no foreign key ties to it. Under the
 * organization's account-deletion lock, re-checking that it is still due: a resubscription
 * synced meanwhile keeps it, and a second deletion run finds it gone. Releasing again after a
 * failed run is harmless, as "already gone" counts as done.
 */
function deleteOrganization(ctx: AppContext, organizationId: string, now: Date) {
  return ctx.withOrgLock(organizationId, 'account-deletion', async () => {
    const stillDue = and(eq(organizations.id, organizationId), dueForDeletion(now));
    if ((await ctx.db.$count(organizations, stillDue)) === 0) return false;
    const held = await providerResources(ctx, organizationId);
    const { vapi, twilio } = ctx.providers;
    for (const n of held.numbers) {
      if (n.vapiId) await gone(vapi.deletePhoneNumber(n.vapiId));
      await gone(twilio.releaseNumber(n.twilioSid));
    }
    for (const a of held.assistants) {
      if (a.kbToolId) await gone(vapi.deleteTool(a.kbToolId));
      await gone(vapi.deleteAssistant(a.vapiId));
    }
    for (const fileId of held.fileIds) await gone(vapi.deleteFile(fileId));
    const deleted = await ctx.db.transaction(async (tx) => {
      const theirCallIds = tx.select({ id: calls.vapiCallId }).from(calls).where(eq(calls.organizationId, organizationId));
      await tx
        .delete(webhookEvents)
        .where(and(eq(webhookEvents.provider, 'vapi'), inArray(sql`split_part(${webhookEvents.eventKey}, ':', 1)`, theirCallIds)));
      await tx.delete(mailOutbox).where(inArray(mailOutbox.to, tx.select({ email: users.email }).from(users).where(eq(users.organizationId, organizationId))));
      return tx.delete(organizations).where(stillDue).returning({ id: organizations.id });
    });
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent while every writer of `deletionAt` takes this lock; the count is only reported
    return deleted.length > 0;
  });
}

/**
 * The daily job: each organization past its `deletionAt` is released and deleted. One whose
 * release failed is kept and retried on the next run.
 */
export async function deleteCancelledOrganizations(ctx: AppContext) {
  const now = ctx.now();
  const due = (await ctx.db.select({ id: organizations.id }).from(organizations).where(dueForDeletion(now))).map((o) => o.id);
  const deleted: string[] = [];
  let errors = 0;
  for (const organizationId of due) {
    try {
      if (await deleteOrganization(ctx, organizationId, now)) deleted.push(organizationId);
    } catch (err) {
      errors++;
      ctx.log.error({ err, organizationId }, 'account deletion: could not release provider resources; kept until the next run');
    }
  }
  if (deleted.length > 0) ctx.log.info({ organizations: deleted }, 'account deletion: organizations deleted');
  return { deleted: deleted.length, errors };
}
