import nodemailer, { type Transporter } from 'nodemailer';
import type { EnvelopeMailer, OutgoingMail } from './ports.ts';

/** Mail over SMTP with nodemailer, e.g. `smtp://user:pass@mail.example.jp:587` (STARTTLS when offered). */
export class SmtpMailer implements EnvelopeMailer {
  private readonly transport: Transporter;
  constructor(
    url: string,
    private readonly from: string
  ) {
    this.transport = nodemailer.createTransport(url);
  }

  send(mail: OutgoingMail): Promise<unknown> {
    return this.transport.sendMail({ from: this.from, ...mail });
  }
}
