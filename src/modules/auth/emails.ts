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

export const confirmEmailChangeEmail = (to: string, url: string) =>
  mail(to, 'Confirm your new Epoch Voice email address', [
    'Someone asked to use this address to sign in to Epoch Voice. Your address changes when you open the link; it works once, within 24 hours.',
    'If it was not you, ignore this email: nothing changes.',
  ], { url, label: 'Confirm this address' });

export const emailChangedEmail = (to: string, newEmail: string) =>
  mail(to, 'Your Epoch Voice email address was changed', [
    `The email address of your Epoch Voice account is now ${newEmail}. Sign in with it from now on.`,
    'If you did not ask for this, reply to this email or contact support right away.',
  ]);
