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
  return {
    async send(message: MailMessage) {
      const [row] = await db.insert(mailOutbox).values(message).onConflictDoNothing().returning({ id: mailOutbox.id });
      if (!smtpUrl || !row) return; // no row: a mail with this dedupeKey is already in the outbox
      const { dedupeKey: _key, ...mail } = message;
      try {
        await (await smtp(smtpUrl)).sendMail({ from, ...mail });
        await db.update(mailOutbox).set({ sentAt: new Date() }).where(eq(mailOutbox.id, row.id));
      } catch (err) {
        log.error({ err, to: message.to }, 'SMTP send failed; message kept in outbox');
      }
    },
  };
}
