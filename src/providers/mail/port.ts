export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A key this mail is sent under at most once: a repeat with the same key is dropped. */
  dedupeKey?: string;
}

/** Sends transactional mail. Every message is first kept in the outbox table. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Several at once: one outbox write for all of them. */
  sendMany(messages: MailMessage[]): Promise<void>;
}
