import type { MailMessage } from '../../providers/mail/port.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A plain transactional mail: paragraphs, then one link. */
export function mail(to: string, subject: string, lines: string[], link?: { url: string; label: string }): MailMessage {
  const text = [...lines, ...(link ? ['', `${link.label}: ${link.url}`] : [])].join('\n');
  const html = [
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`] : []),
  ].join('\n');
  return { to, subject, text, html };
}

export const welcomeEmail = (to: string, name: string, organizationName: string, appUrl: string) =>
  mail(to, 'Welcome to Epoch Voice', [
    `Hi ${name},`,
    `Your account for ${organizationName} is ready. Next, tell us your website and we will set up your AI receptionist.`,
  ], { url: `${appUrl}/onboarding`, label: 'Start onboarding' });

export const resetPasswordEmail = (to: string, url: string) =>
  mail(to, 'Reset your Epoch Voice password', [
    'Someone asked to reset the password of this account. The link works once, within one hour.',
    'If it was not you, ignore this email: your password stays as it is.',
  ], { url, label: 'Choose a new password' });

export const magicLinkEmail = (to: string, url: string) =>
  mail(to, 'Your Epoch Voice sign-in link', [
    'Use this link to sign in. It works once, within 10 minutes.',
  ], { url, label: 'Sign in' });
