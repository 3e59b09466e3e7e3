/**
 * The signing time as people in the signer's zone read it, e.g. `2026-11-25 18:04 JST`.
 * The authoritative time is the signature dictionary's /M and the time-stamp; this is only the picture.
 *
 * @example formatSigningTime(new Date('2026-11-25T09:04:00Z'), 540) // '2026-11-25 18:04 JST'
 */
export function formatSigningTime(at: Date, offsetMinutes = 540): string {
  const t = new Date(at.getTime() + offsetMinutes * 60_000);
  const p = (n: number): string => String(n).padStart(2, '0');
  const zone =
    offsetMinutes === 540
      ? 'JST'
      : offsetMinutes === 0
        ? 'UTC'
        : `UTC${offsetMinutes < 0 ? '-' : '+'}${p(Math.floor(Math.abs(offsetMinutes) / 60))}:${p(Math.abs(offsetMinutes) % 60)}`;
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())} ${zone}`;
}
