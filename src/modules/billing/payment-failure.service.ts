import { and, eq, inArray, isNull, ne, or } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { organizations, subscriptions, users } from '../../db/schema/index.js';
import { PLANS, type PlanTier } from '../../domain/plans.js';
import { graceEndsAt, PAST_DUE_GRACE_DAYS, standingOf, type Standing } from '../../domain/subscriptions.js';
import type { MailMessage } from '../../providers/mail/port.js';
import { mail } from '../auth/emails.js';
import { BILLING_PAGE, readBack } from './customer.service.js';

const usd = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const day = (d: Date) => d.toISOString().slice(0, 10);

interface PaymentFailureFacts {
  name: string;
  organizationName: string;
  tier: PlanTier;
  amountCents: number;
  standing: Extract<Standing, 'grace' | 'overdue' | 'incomplete'>;
  /** Set in grace: the last day the plan is kept. */
  graceEndsAt: Date | null;
  appUrl: string;
}

/** The mail to an owner or admin when a subscription payment is declined: what it means for the plan, and the fix. */
function paymentFailedEmail(to: string, f: PaymentFailureFacts): MailMessage {
  const plan = PLANS[f.tier].label;
  const declined = `The card on file was declined for ${usd(f.amountCents)}, the ${plan} plan of ${f.organizationName}.`;
  const [subject, consequence] =
    f.standing === 'incomplete'
      ? [`Your ${plan} plan has not started: the payment was declined`, `As this was the first payment, the ${plan} plan has not started.`]
      : f.standing === 'grace'
        ? [
            `Payment failed for your ${plan} plan`,
            `Stripe will try the card again. You keep the ${plan} plan until ${day(f.graceEndsAt!)} (${PAST_DUE_GRACE_DAYS} days) while the payment is due.`,
          ]
        : [`Your ${plan} plan is paused: the payment is overdue`, 'Your organization is on the free tier until the payment goes through.'];
  return mail(
    to,
    subject,
    [`Hi ${f.name},`, declined, consequence, 'Replace the card in the billing portal: the amount due is charged to the new card at once.'],
    { url: `${f.appUrl}${BILLING_PAGE}`, label: 'Update your card' },
  );
}

/**
 * After `invoice.payment_failed` (and the subscription re-synced): mails the owners and admins
 * of the organization whose current subscription it is, once per failed attempt. The attempt
 * (`<invoice>:<attempt count>`, as Stripe has it now) is claimed on our row by one conditional
 * UPDATE, so duplicate or concurrent deliveries mail once; an invoice paid since, or a
 * subscription paying again, mails nothing.
 */
export async function notifyPaymentFailure(ctx: AppContext, subscriptionId: string, invoiceId: string) {
  const invoice = await readBack(() => ctx.providers.stripe.getInvoice(invoiceId));
  if (invoice?.status !== 'open') return;
  const attempt = `${invoice.id}:${invoice.attemptCount}`;
  const [claimed] = await ctx.db
    .update(subscriptions)
    .set({ paymentFailureNotified: attempt })
    .where(
      and(
        eq(subscriptions.stripeSubscriptionId, subscriptionId),
        or(isNull(subscriptions.paymentFailureNotified), ne(subscriptions.paymentFailureNotified, attempt)),
      ),
    )
    .returning();
  if (!claimed?.tier) return;
  const standing = standingOf(claimed, ctx.now());
  if (standing !== 'grace' && standing !== 'overdue' && standing !== 'incomplete') return;
  const [org] = await ctx.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, claimed.organizationId));
  const managers = await ctx.db
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(and(eq(users.organizationId, claimed.organizationId), inArray(users.role, ['owner', 'admin'])));
  for (const m of managers) {
    await ctx.mailer.send(
      paymentFailedEmail(m.email, {
        name: m.name,
        organizationName: org?.name ?? 'your organization',
        tier: claimed.tier,
        amountCents: invoice.amountDueCents,
        standing,
        graceEndsAt: claimed.pastDueSince && graceEndsAt(claimed.pastDueSince),
        appUrl: ctx.config.appUrl,
      }),
    );
  }
}
