import type { Coverage } from './report.ts';

export interface CoverageInput {
  /** /ByteRange as parsed, anything (hostile files put strings, reals, six numbers, …). */
  byteRange: unknown;
  /** Offsets [start, end) of this signature dictionary's /Contents hex string token, '<' and '>' included. */
  contents: { start: number; end: number } | null;
  fileSize: number;
  /**
   * Per revision (0 first): `[eof, eol]` = offset just past its `%%EOF` marker and just past the end-of-line
   * that follows it (equal when none). A signed range may end at either (writers differ).
   */
  revisionEnds: readonly (readonly [number, number])[];
}

/**
 * Checks /ByteRange (ISO 32000-2 §12.8.1; ETSI EN 319 142-1 §5.2.2 / §6.3 b): exactly two ranges
 * `[0 b c d]`, starting at 0, whose gap `[b, c)` is exactly the /Contents hex string of this very
 * dictionary, no overlap, all inside the file; and which revision the signed bytes reach.
 * Problems are stable codes: `NOT_FOUR_INTEGERS`, `NOT_FROM_START`, `GAP_NOT_CONTENTS`,
 * `OUTSIDE_FILE`, `OVERLAP`, `CONTENTS_NOT_FOUND`, `NOT_A_REVISION_END`.
 *
 * @example
 * checkCoverage({ byteRange: [0, 100, 200, 50], contents: { start: 100, end: 200 }, fileSize: 250, revisionEnds: [[248, 250]] })
 * // → { wellFormed: true, coversWholeFile: true, revision: 0, … }
 */
export function checkCoverage(input: CoverageInput): Coverage {
  const { byteRange, contents, fileSize, revisionEnds } = input;
  const problems: string[] = [];
  const numbers = Array.isArray(byteRange) && byteRange.every((n) => typeof n === 'number') ? byteRange : null;
  const result = (revision: number | null, whole: boolean): Coverage => ({
    byteRange: numbers ? [...numbers] : null,
    wellFormed: problems.length === 0,
    problems,
    coversWholeFile: whole,
    revision
  });
  if (!numbers || numbers.length !== 4 || !numbers.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    problems.push('NOT_FOUR_INTEGERS');
    return result(null, false);
  }
  const [a, b, c, d] = numbers as [number, number, number, number];
  if (a !== 0) problems.push('NOT_FROM_START');
  if (c < a + b) problems.push('OVERLAP');
  if (a + b > fileSize || c + d > fileSize) problems.push('OUTSIDE_FILE');
  if (!contents) problems.push('CONTENTS_NOT_FOUND');
  else if (contents.start !== a + b || contents.end !== c) problems.push('GAP_NOT_CONTENTS');
  const end = c + d;
  const revision = revisionEnds.findIndex(([eof, eol]) => end >= eof && end <= eol);
  if (revision < 0) problems.push('NOT_A_REVISION_END');
  const last = revisionEnds.at(-1);
  const whole =
    revision === revisionEnds.length - 1 && last !== undefined && (end === fileSize || last[1] === fileSize);
  return result(revision < 0 ? null : revision, problems.length === 0 && whole);
}
