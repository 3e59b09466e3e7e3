import { describe, expect, it } from 'vitest';
import { PdfArray, PdfDict, PdfName, PdfNumber, PdfString, type PdfObject } from '../core/objects.ts';
import { parseObject } from '../core/parser.ts';
import { trimDer } from '../doc/signatures.ts';
import { decodePermissions } from '../crypto/permissions.ts';
import { writeObject } from './serialize.ts';
import { ByteSink } from './sink.ts';

const write = (o: PdfObject): Uint8Array => {
  const s = new ByteSink();
  writeObject(s, o);
  return s.finish(new Uint8Array(0));
};
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('serializer (ISO 32000-2 §7.3) round-trips through the parser', () => {
  it('escapes names with #xx and keeps their bytes', () => {
    const utf8 = Buffer.from('署名 #1', 'utf8').toString('latin1');
    const out = write(new PdfName(utf8));
    expect(text(out)).toBe('/#E7#BD#B2#E5#90#8D#20#231');
    expect(parseObject(out, 0)[0]).toMatchObject({ kind: 'name', name: utf8 });
  });

  it('writes reals without exponent and keeps integer text', () => {
    expect(text(write(new PdfNumber(1e-7)))).toBe('0.0000001');
    expect(text(write(new PdfNumber(123456789012)))).toBe('123456789012');
    expect(text(write(new PdfNumber(-0.5)))).toBe('-0.5');
    expect(text(write(new PdfNumber(5, '0005')))).toBe('0005');
  });

  it('round-trips binary and text strings, nested containers', () => {
    const bin = new PdfString(Uint8Array.from([0, 0x28, 0x5c, 0xff, 0x0d, 0x0a]));
    const d = new PdfDict([
      ['A', new PdfArray([bin, PdfString.text('日本'), PdfString.latin1('a(b)c\\')])],
      ['B', new PdfDict([['C', new PdfNumber(1)]])]
    ]);
    const back = parseObject(write(d), 0)[0] as PdfDict;
    const a = back.get('A') as PdfArray;
    expect([...(a.items[0] as PdfString).bytes]).toEqual([...bin.bytes]);
    expect((a.items[1] as PdfString).text()).toBe('日本');
    expect((a.items[2] as PdfString).text()).toBe('a(b)c\\');
    expect((back.get('B') as PdfDict).get('C')).toMatchObject({ value: 1 });
  });

  it('decodes PDFDocEncoding text strings (§D.2)', () => {
    expect(new PdfString(Uint8Array.from([0x80, 0x20, 0x92, 0xa0, 0x41])).text()).toBe('\u2022 \u2122\u20acA');
  });
});

describe('trimDer (X.690 §8.1.3) and permissions (§7.6.4.2)', () => {
  it('cuts zero padding after short- and long-form DER lengths, leaves junk alone', () => {
    expect([...trimDer(Uint8Array.from([0x30, 0x02, 1, 2, 0, 0]))]).toEqual([0x30, 0x02, 1, 2]);
    const long = new Uint8Array(300);
    long.set([0x30, 0x82, 0x01, 0x00]);
    expect(trimDer(long).length).toBe(260);
    expect(trimDer(Uint8Array.from([0x30, 0x85, 1, 1, 1, 1, 1])).length).toBe(7); // 5 length bytes: not plausible
    expect(trimDer(Uint8Array.from([0x30, 0x10, 1])).length).toBe(3); // claims more than present
  });

  it('decodes /P bits; the owner gets everything', () => {
    const p = -3904; // 0xFFFFF0C0: only the reserved high bits and bits 7–8 set
    expect(decodePermissions(p)).toMatchObject({ print: false, modify: false, annotate: false, fillForms: false });
    expect(decodePermissions(p | 0x100).fillForms).toBe(true);
    expect(Object.values(decodePermissions(p, true)).every(Boolean)).toBe(true);
  });
});
