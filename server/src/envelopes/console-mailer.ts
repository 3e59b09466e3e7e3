import type { EnvelopeMailer, OutgoingMail } from './ports.ts';

/**
 * The embedded default until the trust-services Mailer (SMTP or the /dev/mail outbox) is wired: prints each mail,
 * links included, to the console so a person running `npm start` can follow the journey by hand.
 */
export class ConsoleMailer implements EnvelopeMailer {
  readonly sent: OutgoingMail[] = [];
  constructor(private readonly print: (line: string) => void = (l) => console.log(l)) {}

  async send(mail: OutgoingMail): Promise<void> {
    this.sent.push(mail);
    this.print(`[inkan] mail to ${mail.to}: ${mail.subject}\n${mail.text.replace(/^/gm, '    ')}`);
  }
}
