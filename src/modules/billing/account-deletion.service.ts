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

/** What the due organizations hold at VAPI and Twilio, read in one query per kind. */
async function providerResources(ctx: AppContext, ids: string[]) {
  const [numbers, files, owned] = await Promise.all([
    ctx.db
      .select({ organizationId: phoneNumbers.organizationId, twilioSid: phoneNumbers.twilioPhoneNumberSid, vapiId: phoneNumbers.vapiPhoneNumberId })
      .from(phoneNumbers)
      .where(inArray(phoneNumbers.organizationId, ids)),
    ctx.db
      .select({ organizationId: kbSections.organizationId, vapiFileId: kbSections.vapiFileId })
      .from(kbSections)
      .where(and(inArray(kbSections.organizationId, ids), isNotNull(kbSections.vapiFileId))),
    ctx.db
      .select({ organizationId: assistants.organizationId, vapiId: assistants.vapiAssistantId, kbToolId: assistants.kbToolId })
      .from(assistants)
      .where(inArray(assistants.organizationId, ids)),
  ]);
  return (organizationId: string) => ({
    numbers: numbers.filter((n) => n.organizationId === organizationId),
    fileIds: files.filter((f) => f.organizationId === organizationId).map((f) => f.vapiFileId!),
    assistants: owned.filter((a) => a.organizationId === organizationId),
  });
}

/**
 * The daily job: for each organization past its `deletionAt`, releases its phone number
 * (Twilio bills for it monthly) and deletes its assistants, tools and files at VAPI; then
 * deletes the organizations that were fully released in one transaction. Their rows go by
 * cascade, with the VAPI events of their calls and the mail sent to their users, which no
 * foreign key ties to them. An organization whose release failed is kept and retried on the
 * next run; releasing again is harmless, as "already gone" counts as done.
 */
export async function deleteCancelledOrganizations(ctx: AppContext) {
  const now = ctx.now();
  const due = (await ctx.db.select({ id: organizations.id }).from(organizations).where(dueForDeletion(now))).map((o) => o.id);
  if (due.length === 0) return { deleted: 0, errors: 0 };
  const resourcesOf = await providerResources(ctx, due);
  const { vapi, twilio } = ctx.providers;
  const released: string[] = [];
  let errors = 0;
  for (const organizationId of due) {
    const held = resourcesOf(organizationId);
    try {
      for (const n of held.numbers) {
        if (n.vapiId) await gone(vapi.deletePhoneNumber(n.vapiId));
        await gone(twilio.releaseNumber(n.twilioSid));
      }
      for (const a of held.assistants) {
        if (a.kbToolId) await gone(vapi.deleteTool(a.kbToolId));
        await gone(vapi.deleteAssistant(a.vapiId));
      }
      for (const fileId of held.fileIds) await gone(vapi.deleteFile(fileId));
      released.push(organizationId);
    } catch (err) {
      errors++;
      ctx.log.error({ err, organizationId }, 'account deletion: could not release provider resources; kept until the next run');
    }
  }
  if (released.length === 0) return { deleted: 0, errors };
  const deleted = await ctx.db.transaction(async (tx) => {
    const theirCallIds = tx.select({ id: calls.vapiCallId }).from(calls).where(inArray(calls.organizationId, released));
    await tx
      .delete(webhookEvents)
      .where(and(eq(webhookEvents.provider, 'vapi'), inArray(sql`split_part(${webhookEvents.eventKey}, ':', 1)`, theirCallIds)));
    await tx.delete(mailOutbox).where(inArray(mailOutbox.to, tx.select({ email: users.email }).from(users).where(inArray(users.organizationId, released))));
    // Checked again: a resubscription synced while we were releasing keeps the organization.
    return tx
      .delete(organizations)
      .where(and(inArray(organizations.id, released), dueForDeletion(now)))
      .returning({ id: organizations.id });
  });
  ctx.log.info({ organizations: deleted.map((o) => o.id) }, 'account deletion: organizations deleted');
  return { deleted: deleted.length, errors };
}
