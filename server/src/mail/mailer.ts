import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db/sqlite.ts';

/** One outgoing e-mail. `text` is required; `html` is optional. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Sends mail. Implementations: {@link SmtpMailer} (nodemailer) and {@link OutboxMailer} (dev, SQLite). */
export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(mail: Mail): Promise<void>;
}

export class MailError extends Error {
  readonly code = 'MAIL_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailError';
  }
}

const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

function check(mail: Mail): void {
  if (!ADDRESS.test(mail.to) || mail.to.length > 254) throw new MailError(`not an e-mail address: "${mail.to}"`);
  if (/[\r\n]/.test(mail.subject)) throw new MailError('subject must be one line');
}

/** SMTP through nodemailer, e.g. `smtp://user:pass@mail.example.jp:587` (STARTTLS when the server offers it). */
export class SmtpMailer implements Mailer {
  readonly kind = 'smtp';
  private readonly transport: Transporter;
  constructor(
    url: string,
    private readonly from: string
  ) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(mail: Mail): Promise<void> {
    check(mail);
    try {
      await this.transport.sendMail({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html
      });
    } catch (cause) {
      throw new MailError(`SMTP delivery to ${mail.to} failed: ${(cause as Error).message}`, { cause });
    }
  }

  close(): void {
    this.transport.close();
  }
}

export interface OutboxEntry extends Mail {
  id: number;
  at: string;
}

/**
 * The embedded default when no SMTP server is configured: mails are stored in SQLite (`dev_outbox`) and listed
 * at `GET /dev/mail` (outside production), and announced on the console.
 */
export class OutboxMailer implements Mailer {
  readonly kind = 'outbox';
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    private readonly log: (line: string) => void = () => {}
  ) {}

  async send(mail: Mail): Promise<void> {
    check(mail);
    const r = this.db
      .prepare('INSERT INTO dev_outbox (at, to_addr, subject, text, html) VALUES (?, ?, ?, ?, ?)')
      .run(this.clock().toISOString(), mail.to, mail.subject, mail.text, mail.html ?? null);
    this.log(`[inkan] mail #${r.lastInsertRowid} to ${mail.to}: ${mail.subject} (see /dev/mail)`);
  }

  list(limit = 100): OutboxEntry[] {
    return (
      this.db
        .prepare('SELECT id, at, to_addr, subject, text, html FROM dev_outbox ORDER BY id DESC LIMIT ?')
        .all(limit) as { id: number; at: string; to_addr: string; subject: string; text: string; html: string | null }[]
    ).map((r) => ({
      id: r.id,
      at: r.at,
      to: r.to_addr,
      subject: r.subject,
      text: r.text,
      ...(r.html && { html: r.html })
    }));
  }
}
