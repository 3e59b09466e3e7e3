/**
 * How many tries an e-mail code has left, from the server's OTP_INVALID refusal ("wrong code (4 tries left)"),
 * so the page can say it in its own language; null when the message does not say.
 */
export function triesLeft(message: string): number | null {
  const n = /(\d+) tr(?:y|ies) left/.exec(message)?.[1];
  return n === undefined ? null : Number(n);
}
