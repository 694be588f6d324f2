import type { MailMessage } from '../../providers/mail/port.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface UsageAlertFacts {
  name: string;
  organizationName: string;
  percent: number;
  minutesUsed: number;
  minutesLimit: number;
  /** Set when calls go on past the limit (overage on and allowed by the plan). */
  overageRateCents: number | null;
  cycleEnd: Date;
  appUrl: string;
}

/** The mail to an owner or admin when the organization reaches a usage threshold. */
export function usageAlertEmail(to: string, f: UsageAlertFacts): MailMessage {
  const resets = f.cycleEnd.toISOString().slice(0, 10);
  const subject =
    f.percent >= 100
      ? `${f.organizationName} has used all ${f.minutesLimit} included minutes`
      : `${f.organizationName} has used ${f.percent}% of its included minutes`;
  const after =
    f.percent >= 100
      ? f.overageRateCents !== null
        ? `Calls continue; minutes past the limit are billed at $${(f.overageRateCents / 100).toFixed(2)} a minute.`
        : 'New calls are not answered until the minutes reset or you upgrade your plan.'
      : 'Upgrade your plan if you expect to need more minutes this cycle.';
  const lines = [
    `Hi ${f.name},`,
    `${f.organizationName} has used ${f.minutesUsed} of its ${f.minutesLimit} included minutes this cycle (${f.percent}%).`,
    after,
    `Minutes reset on ${resets}.`,
  ];
  const url = `${f.appUrl}/dashboard/account`;
  return {
    to,
    subject,
    text: [...lines, '', `Plan and billing: ${url}`].join('\n'),
    html: [...lines.map((l) => `<p>${escapeHtml(l)}</p>`), `<p><a href="${escapeHtml(url)}">Plan and billing</a></p>`].join('\n'),
  };
}
