import { describe, expect, it } from 'vitest';
import { handPdf, makePdf } from '../../test/helpers.ts';
import { PdfFile } from '../file.ts';
import { inherited, pageAt, pages } from './pages.ts';

const refs = (f: PdfFile): string[] => pages(f).map((p) => p.ref.key);

describe('page tree (ISO 32000-2 §7.7.3)', () => {
  it('pageAt agrees with the full walk on a flat tree', async () => {
    const f = PdfFile.open(await makePdf(5));
    expect([0, 1, 2, 3, 4].map((i) => pageAt(f, i)?.ref.key)).toEqual(refs(f));
    expect(pageAt(f, 5)).toBeUndefined();
    expect(pageAt(f, -1)).toBeUndefined();
  });

  it('pageAt descends a nested tree by /Count and inherits attributes', () => {
    const f = PdfFile.open(
      handPdf([
        '<</Type/Catalog/Pages 2 0 R>>',
        '<</Type/Pages/Kids[3 0 R 6 0 R]/Count 3/MediaBox[0 0 100 100]>>',
        '<</Type/Pages/Parent 2 0 R/Kids[4 0 R 5 0 R]/Count 2/Rotate 90>>',
        '<</Type/Page/Parent 3 0 R>>',
        '<</Type/Page/Parent 3 0 R/Rotate 0>>',
        '<</Type/Page/Parent 2 0 R>>'
      ])
    );
    expect(refs(f)).toEqual(['4 0', '5 0', '6 0']);
    expect([0, 1, 2, 3].map((i) => pageAt(f, i)?.ref.key)).toEqual(['4 0', '5 0', '6 0', undefined]);
    const p0 = pageAt(f, 0)!.dict;
    expect(inherited(f, p0, 'Rotate')).toMatchObject({ value: 90 });
    expect(inherited(f, pageAt(f, 1)!.dict, 'Rotate')).toMatchObject({ value: 0 });
    expect(inherited(f, pageAt(f, 2)!.dict, 'MediaBox')?.kind).toBe('array');
  });

  it('falls back to the full walk when /Count lies, and stays bounded on cycles', () => {
    const lying = PdfFile.open(
      handPdf([
        '<</Type/Catalog/Pages 2 0 R>>',
        '<</Type/Pages/Kids[3 0 R 4 0 R]/Count 99>>',
        '<</Type/Page/Parent 2 0 R>>',
        '<</Type/Page/Parent 2 0 R>>'
      ])
    );
    expect(pageAt(lying, 1)?.ref.key).toBe('4 0');
    expect(pageAt(lying, 2)).toBeUndefined();
    const cyclic = PdfFile.open(
      handPdf([
        '<</Type/Catalog/Pages 2 0 R>>',
        '<</Type/Pages/Kids[3 0 R]/Count 1>>',
        '<</Type/Pages/Kids[2 0 R]/Count 1>>'
      ])
    );
    expect(() => pageAt(cyclic, 0)).toThrowError(expect.objectContaining({ code: 'PDF_LIMIT_EXCEEDED' }));
  });
});
