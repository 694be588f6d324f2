export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends transactional mail. Every message is first kept in the outbox table. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
