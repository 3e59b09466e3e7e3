/**
 * What the envelope routes need from the trust-services area (server/src/mail, the e-mail one-time codes),
 * stated structurally so the two areas meet at these shapes and nothing else.
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface EnvelopeMailer {
  send(mail: OutgoingMail): Promise<unknown>;
}

/** E-mail one-time codes: `send` mails a fresh code for `purpose`; `verify` throws a typed error when it is wrong. */
export interface EmailCodes {
  send(email: string, purpose: string): Promise<unknown>;
  verify(email: string, purpose: string, code: string): Promise<unknown>;
}
