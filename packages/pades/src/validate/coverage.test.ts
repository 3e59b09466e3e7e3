import { describe, expect, it } from 'vitest';
import { checkCoverage } from './coverage.ts';

// A two-revision file: revision 0 ends at 1000 (%%EOF then "\n"), revision 1 at 1500 (no EOL).
const base = {
  contents: { start: 400, end: 600 },
  fileSize: 1500,
  revisionEnds: [
    [999, 1000],
    [1500, 1500]
  ] as [number, number][]
};

describe('checkCoverage', () => {
  it('accepts [0 b c d] whose gap is exactly /Contents and names the revision it reaches', () => {
    const c = checkCoverage({ ...base, byteRange: [0, 400, 600, 400] });
    expect(c).toEqual({
      byteRange: [0, 400, 600, 400],
      wellFormed: true,
      problems: [],
      coversWholeFile: false,
      revision: 0
    });
  });

  it('accepts an end just before the EOL after %%EOF (writers differ)', () => {
    expect(checkCoverage({ ...base, byteRange: [0, 400, 600, 399] }).revision).toBe(0);
  });

  it('says when the whole file is covered', () => {
    const c = checkCoverage({ ...base, byteRange: [0, 400, 600, 900] });
    expect(c.coversWholeFile).toBe(true);
    expect(c.revision).toBe(1);
  });

  it.each([
    ['one range', [0, 1500], 'NOT_FOUR_INTEGERS'],
    ['six numbers', [0, 400, 600, 100, 800, 700], 'NOT_FOUR_INTEGERS'],
    ['a string', '0 400 600 900', 'NOT_FOUR_INTEGERS'],
    ['negative', [0, 400, 600, -1], 'NOT_FOUR_INTEGERS'],
    ['a real number', [0, 400.5, 600, 900], 'NOT_FOUR_INTEGERS'],
    ['not from 0', [10, 390, 600, 900], 'NOT_FROM_START'],
    ['gap too big', [0, 390, 610, 890], 'GAP_NOT_CONTENTS'],
    ['gap elsewhere (wrapped content)', [0, 300, 500, 1000], 'GAP_NOT_CONTENTS'],
    ['overlapping ranges', [0, 700, 600, 900], 'OVERLAP'],
    ['beyond the file', [0, 400, 600, 901], 'OUTSIDE_FILE'],
    ['tail uncovered (inside a revision)', [0, 400, 600, 200], 'NOT_A_REVISION_END']
  ])('flags %s', (_n, byteRange, problem) => {
    const c = checkCoverage({ ...base, byteRange });
    expect(c.wellFormed).toBe(false);
    expect(c.problems).toContain(problem);
    expect(c.coversWholeFile).toBe(false);
  });

  it('flags a signature dictionary without a located /Contents', () => {
    const c = checkCoverage({ ...base, contents: null, byteRange: [0, 400, 600, 900] });
    expect(c.problems).toEqual(['CONTENTS_NOT_FOUND']);
  });
});
