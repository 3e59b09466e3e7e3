import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ascii85, asciiHex, decodeStream, inflate, predict } from './filters.ts';
import { PdfArray, PdfDict, PdfName, PdfNumber, PdfStream } from './objects.ts';

const te = new TextEncoder();

describe('stream filters (ISO 32000-2 §7.4)', () => {
  it('inflates zlib data and keeps a truncated tail best-effort', () => {
    const data = te.encode('hello '.repeat(1000));
    const z = zlibSync(data);
    expect(inflate(z)).toEqual(data);
    const warnings: string[] = [];
    const part = inflate(z.subarray(0, z.length - 8), { warn: (w) => warnings.push(w) });
    expect(part.length).toBeGreaterThan(0);
    expect(data.subarray(0, part.length)).toEqual(part);
  });

  it('caps the decoded size (decompression bomb)', () => {
    const z = zlibSync(new Uint8Array(5_000_000));
    expect(() => inflate(z, { maxBytes: 1_000_000 })).toThrowError(
      expect.objectContaining({ code: 'PDF_LIMIT_EXCEEDED' })
    );
  });

  it('undoes the PNG Up predictor of xref streams (§7.4.4.4)', () => {
    // two rows of 3 columns, row 2 encoded as "Up" differences
    const enc = Uint8Array.from([2, 1, 2, 3, 2, 1, 1, 1]);
    const parms = new PdfDict([
      ['Predictor', new PdfNumber(12)],
      ['Columns', new PdfNumber(3)]
    ]);
    expect([...predict(enc, parms)]).toEqual([1, 2, 3, 2, 3, 4]);
  });

  it('decodes ASCIIHex and ASCII85', () => {
    expect([...asciiHex(te.encode('48 65 6c6C6f7>'))]).toEqual([...te.encode('Hellop')]);
    expect(new TextDecoder().decode(ascii85(te.encode('87cURD]i,"Ebo80~>')))).toBe('Hello World!');
    expect([...ascii85(te.encode('z~>'))]).toEqual([0, 0, 0, 0]);
  });

  it('decodes LZW (the §7.4.4.2 example) and RunLength', () => {
    const s = new PdfStream(
      new PdfDict([['Filter', new PdfName('LZWDecode')]]),
      Uint8Array.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01])
    );
    expect(new TextDecoder().decode(decodeStream(s))).toBe('-----A---B');
    const rl = new PdfStream(
      new PdfDict([['Filter', new PdfName('RunLengthDecode')]]),
      Uint8Array.from([2, 65, 66, 67, 253, 88, 128, 1])
    );
    expect(new TextDecoder().decode(decodeStream(rl))).toBe('ABCXXXX');
  });

  it('applies a filter chain and refuses unknown filters with PDF_UNSUPPORTED', () => {
    const z = zlibSync(te.encode('chained'));
    const hex = te.encode(Buffer.from(z).toString('hex') + '>');
    const s = new PdfStream(
      new PdfDict([['Filter', new PdfArray([new PdfName('ASCIIHexDecode'), new PdfName('FlateDecode')])]]),
      hex
    );
    expect(new TextDecoder().decode(decodeStream(s))).toBe('chained');
    const bad = new PdfStream(new PdfDict([['Filter', new PdfName('JBIG2Decode')]]), new Uint8Array(1));
    expect(() => decodeStream(bad)).toThrowError(expect.objectContaining({ code: 'PDF_UNSUPPORTED' }));
  });
});
