import { eq } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import type { Db } from '../../db/client.js';
import { mailOutbox } from '../../db/schema/index.js';
import type { Mailer, MailMessage } from './port.js';

interface MailerOptions {
  db: Db;
  from: string;
  /** Unset in the sandbox: the outbox row is the delivered mail. */
  smtpUrl?: string;
  log: { error(obj: unknown, msg: string): void };
}

/**
 * Writes the message to the outbox first (nothing lost if SMTP is down or we crash),
 * then hands it to SMTP when configured and marks it sent.
 */
export function createMailer({ db, from, smtpUrl, log }: MailerOptions): Mailer {
  // Loaded on the first mail: the sandbox and most starts never need an SMTP client.
  let transport: Promise<Transporter> | undefined;
  const smtp = (url: string) => (transport ??= import('nodemailer').then((m) => m.default.createTransport(url)));
  async function sendMany(messages: MailMessage[]) {
    if (messages.length === 0) return;
    const insert = db.insert(mailOutbox).values(messages).onConflictDoNothing();
    if (!smtpUrl) return void (await insert);
    // Only new rows come back: a mail whose dedupeKey is already in the outbox is not sent again.
    const rows = await insert.returning({ id: mailOutbox.id, to: mailOutbox.to, subject: mailOutbox.subject, text: mailOutbox.text, html: mailOutbox.html });
    for (const { id, ...mail } of rows) {
      try {
        await (await smtp(smtpUrl)).sendMail({ from, ...mail });
        await db.update(mailOutbox).set({ sentAt: new Date() }).where(eq(mailOutbox.id, id));
      } catch (err) {
        log.error({ err, to: mail.to }, 'SMTP send failed; message kept in outbox');
      }
    }
  }
  return { send: (message) => sendMany([message]), sendMany };
}
