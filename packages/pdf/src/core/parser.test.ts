import { describe, expect, it } from 'vitest';
import { PdfError } from './errors.ts';
import { parseIndirect, parseObject } from './parser.ts';

const b = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const parse = (s: string) => parseObject(b(s), 0)[0];

describe('parseObject (ISO 32000-2 §7.3)', () => {
  it('reads scalars and keeps the original number text', () => {
    expect(parse('null').kind).toBe('null');
    expect(parse(' true')).toMatchObject({ kind: 'bool', value: true, start: 1, end: 5 });
    expect(parse('0010')).toMatchObject({ kind: 'number', value: 10, text: '0010' });
    expect(parse('-.5')).toMatchObject({ value: -0.5, text: '-.5' });
    expect(parse('--3')).toMatchObject({ value: -3 });
  });

  it('decodes names with #xx escapes', () => {
    expect(parse('/A#20B#23')).toMatchObject({ kind: 'name', name: 'A B#' });
    expect(parse('/')).toMatchObject({ kind: 'name', name: '' });
  });

  it('decodes literal strings with escapes, nesting and line continuations', () => {
    const s = parse('(a\\(b\\)\\n\\101\\\r\nc(d)e\r\n)');
    expect(s.kind).toBe('string');
    if (s.kind === 'string') expect(Buffer.from(s.bytes).toString('latin1')).toBe('a(b)\nAc(d)e\n');
  });

  it('decodes hex strings, padding an odd digit and keeping the token span', () => {
    const s = parseObject(b('  <48 65 6C6C6F7>'), 0)[0];
    expect(s).toMatchObject({ kind: 'string', hex: true, start: 2, end: 17 });
    if (s.kind === 'string') expect([...s.bytes]).toEqual([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x70]);
  });

  it('reads nested containers and references with offsets', () => {
    const src = '<</Kids [1 0 R 2 0 R] /N 3 /D <</X 4>> /Null null>>';
    const d = parse(src);
    expect(d.kind).toBe('dict');
    if (d.kind !== 'dict') return;
    const kids = d.get('Kids');
    expect(kids?.kind === 'array' && kids.items.map((k) => k.kind)).toEqual(['ref', 'ref']);
    expect(kids).toMatchObject({ start: 8, end: 21 });
    expect(d.get('N')).toMatchObject({ value: 3 });
    expect(d.has('Null')).toBe(false);
    expect(d.get('D')?.kind === 'dict' && d.get('D')).toBeTruthy();
    expect(d.end).toBe(src.length);
  });

  it('does not mistake two integers for a reference', () => {
    const kinds = (src: string) => {
      const a = parse(src);
      return a.kind === 'array' ? a.items.map((x) => (x.kind === 'ref' ? x.toString() : x.kind)) : [];
    };
    expect(kinds('[1 2 3]')).toEqual(['number', 'number', 'number']);
    expect(kinds('[1 2 3 0 R]')).toEqual(['number', 'number', '3 0 R']);
    expect(kinds('[1 0 R/X 2 0 R]')).toEqual(['1 0 R', 'name', '2 0 R']);
    expect(kinds('[-1 0 R]'.replace(' R', ''))).toEqual(['number', 'number']);
  });

  it('bounds nesting depth instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => parse(deep)).toThrowError(expect.objectContaining({ code: 'PDF_LIMIT_EXCEEDED' }));
  });

  it('raises PDF_MALFORMED on truncated input and junk', () => {
    for (const s of ['(abc', '<</A 1', '<abc', '[1 2', ')', '<<1 2>>', 'foo']) {
      let err: unknown;
      try {
        parse(s);
      } catch (e) {
        err = e;
      }
      expect(err, s).toBeInstanceOf(PdfError);
      expect((err as PdfError).code, s).toBe('PDF_MALFORMED');
    }
  });
});

describe('parseIndirect (§7.3.10, §7.3.8)', () => {
  it('reads a stream with a correct /Length', () => {
    const src = '7 0 obj\n<</Length 5>>\nstream\nhello\nendstream\nendobj\n';
    const o = parseIndirect(
      b(src),
      0,
      () => undefined,
      () => {}
    );
    expect(o).toMatchObject({ num: 7, gen: 0, start: 0 });
    expect(o.value.kind).toBe('stream');
    if (o.value.kind === 'stream') expect(Buffer.from(o.value.raw).toString()).toBe('hello');
  });

  it('falls back to endstream when /Length is wrong or absurd, and warns', () => {
    for (const len of ['99999999999', '2', '3 0 R']) {
      const warnings: string[] = [];
      const src = `7 0 obj\n<</Length ${len}>>\nstream\r\nhello world\r\nendstream\nendobj\n`;
      const o = parseIndirect(
        b(src),
        0,
        () => 999,
        (w) => warnings.push(w)
      );
      expect(o.value.kind === 'stream' && Buffer.from(o.value.raw).toString(), len).toBe('hello world');
      expect(warnings.length, len).toBe(1);
    }
  });

  it('resolves an indirect /Length through the callback', () => {
    const src = '7 0 obj\n<</Length 8 0 R>>\nstream\nabcendstream-not\nendstream\nendobj\n';
    const o = parseIndirect(
      b(src),
      0,
      (r) => (r.num === 8 ? 16 : undefined),
      () => {}
    );
    expect(o.value.kind === 'stream' && Buffer.from(o.value.raw).toString()).toBe('abcendstream-not');
  });
});
