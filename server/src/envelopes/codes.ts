import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/sqlite.ts';
import { ApiError } from '../errors.ts';
import type { EmailCodes, EnvelopeMailer } from './ports.ts';

/** Code lifetime and attempts, as issue 6 states them: 6 digits, 10 minutes, 5 tries. */
export const CODE_TTL_MS = 10 * 60 * 1000;
export const CODE_MAX_ATTEMPTS = 5;

/**
 * E-mail one-time codes kept in SQLite (table `email_codes`, migration env-002), so a restart between
 * "send me a code" and "here it is" changes nothing. Interim home in the envelope area until the
 * trust-services OTP module lands; it implements the same `EmailCodes` port.
 * Only a code's SHA-256 (with address and purpose) is stored; a new code replaces the previous one for the same address/purpose.
 */
export class SqliteEmailCodes implements EmailCodes {
  constructor(
    private readonly db: Db,
    private readonly mailer: EnvelopeMailer,
    private readonly clock: () => Date
  ) {}

  async send(email: string, purpose: string): Promise<void> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const now = this.clock();
    this.db
      .prepare(
        `INSERT INTO email_codes (email, purpose, code_hash, expires_at, attempts) VALUES (?, ?, ?, ?, 0)
         ON CONFLICT (email, purpose) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at,
         attempts = 0`
      )
      .run(
        email.toLowerCase(),
        purpose,
        digest(email, purpose, code),
        new Date(now.getTime() + CODE_TTL_MS).toISOString()
      );
    try {
      await this.mailer.send({
        to: email,
        subject: `【Inkan】確認コード ${code}`,
        text:
          `確認コード: ${code}\n有効期限は10分です。心当たりがなければこのメールは無視してください。\n\n` +
          `Your Inkan confirmation code is ${code}. It expires in 10 minutes.\n`
      });
    } catch (e) {
      console.error('[inkan] code mail failed', e);
      throw new ApiError(502, 'MAIL_FAILED', 'the confirmation code could not be mailed; try again');
    }
  }

  async verify(email: string, purpose: string, code: string): Promise<void> {
    const key = [email.toLowerCase(), purpose];
    const row = this.db
      .prepare('SELECT code_hash, expires_at, attempts FROM email_codes WHERE email = ? AND purpose = ?')
      .get(...key) as { code_hash: string; expires_at: string; attempts: number } | undefined;
    if (!row) throw new ApiError(400, 'OTP_INVALID', 'ask for a confirmation code first');
    if (row.attempts >= CODE_MAX_ATTEMPTS)
      throw new ApiError(429, 'OTP_TOO_MANY_ATTEMPTS', 'too many wrong codes: ask for a new one');
    if (row.expires_at <= this.clock().toISOString())
      throw new ApiError(400, 'OTP_EXPIRED', 'the code has expired: ask for a new one');
    const ok = timingSafeEqual(Buffer.from(row.code_hash, 'hex'), Buffer.from(digest(email, purpose, code), 'hex'));
    if (!ok) {
      this.db.prepare('UPDATE email_codes SET attempts = attempts + 1 WHERE email = ? AND purpose = ?').run(...key);
      const left = CODE_MAX_ATTEMPTS - row.attempts - 1;
      throw new ApiError(400, 'OTP_INVALID', `wrong code (${left} ${left === 1 ? 'try' : 'tries'} left)`);
    }
    // One use: a code that worked cannot be replayed.
    this.db.prepare('DELETE FROM email_codes WHERE email = ? AND purpose = ?').run(...key);
  }
}

function digest(email: string, purpose: string, code: string): string {
  return createHash('sha256').update(`${email.toLowerCase()}\n${purpose}\n${code}`).digest('hex');
}

/** `taro.yamada@example.jp` → `t***@example.jp`: enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}
