import nodemailer from 'nodemailer';
import { eq } from 'drizzle-orm';
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
  const transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  return {
    async send(message: MailMessage) {
      const [row] = await db.insert(mailOutbox).values(message).returning({ id: mailOutbox.id });
      if (!transport || !row) return;
      try {
        await transport.sendMail({ from, ...message });
        await db.update(mailOutbox).set({ sentAt: new Date() }).where(eq(mailOutbox.id, row.id));
      } catch (err) {
        log.error({ err, to: message.to }, 'SMTP send failed; message kept in outbox');
      }
    },
  };
}
