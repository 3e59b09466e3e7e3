/**
 * Parses a PDF date string (ISO 32000-2 §7.9.4): `D:YYYYMMDDHHmmSSOHH'mm'`, every part after the year
 * optional, O one of `+ - Z`. Returns ISO 8601 (UTC) or null when it is not a date.
 *
 * @example
 * parsePdfDate("D:20260601093000+09'00'") // → '2026-06-01T00:30:00.000Z'
 */
export function parsePdfDate(s: string): string | null {
  const m = /^(?:D:)?(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:([+\-Z])(?:(\d\d)'?(\d\d)?'?)?)?\s*$/.exec(s.trim());
  if (!m) return null;
  const n = (i: number, d: number) => (m[i] === undefined ? d : Number(m[i]));
  const [y, mo, d, h, mi, se] = [n(1, 0), n(2, 1), n(3, 1), n(4, 0), n(5, 0), n(6, 0)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return null;
  const sign = m[7] === '-' ? -1 : m[7] === '+' ? 1 : 0;
  const offset = sign * (n(8, 0) * 60 + n(9, 0));
  const t = Date.UTC(y, mo - 1, d, h, mi, se) - offset * 60_000;
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
