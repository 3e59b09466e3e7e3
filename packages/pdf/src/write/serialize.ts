/**
 * Object serializer (ISO 32000-2 §7.3): names escaped with #xx (§7.3.5), strings as escaped literals or
 * hex (§7.3.4), reals without exponent (§7.3.3). Strings and streams are passed through `crypt` when the
 * file is encrypted (§7.6.2). Iterative over containers, so deep objects cannot overflow the stack.
 */
import { toHex } from '../core/bytes.ts';
import { PdfError } from '../core/errors.ts';
import { formatNumber, PdfNumber, type PdfObject, type PdfStream } from '../core/objects.ts';
import type { ByteSink } from './sink.ts';

export interface Crypt {
  string(b: Uint8Array): Uint8Array;
  stream(b: Uint8Array, s: PdfStream): Uint8Array;
}

const NUMBER_TOKEN = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** §7.3.5: regular characters stay, everything else (and '#') becomes #xx. */
export function nameToken(name: string): string {
  let s = '/';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i) & 0xff;
    const special = c < 0x21 || c > 0x7e || c === 0x23 || '()<>[]{}/%'.includes(String.fromCharCode(c));
    s += special ? '#' + c.toString(16).toUpperCase().padStart(2, '0') : String.fromCharCode(c);
  }
  return s;
}

/** §7.3.4.2 literal string with the escapes needed for unbalanced parentheses, backslash and EOLs. */
export function literalToken(b: Uint8Array): string {
  let s = '(';
  for (const c of b) {
    if (c === 0x28 || c === 0x29 || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x0a) s += '\\n';
    else s += String.fromCharCode(c);
  }
  return s + ')';
}

function stringToken(b: Uint8Array, hex: boolean): string {
  if (hex) return '<' + toHex(b) + '>';
  let printable = 0;
  for (const c of b) if (c >= 0x20 && c < 0x7f) printable++;
  return printable >= b.length * 0.9 ? literalToken(b) : '<' + toHex(b) + '>';
}

export function numberToken(n: { value: number; text: string }): string {
  return NUMBER_TOKEN.test(n.text) && Number(n.text) === n.value ? n.text : formatNumber(n.value);
}

/** Writes `obj` (a direct object; a stream only at top level) to `out`. */
export function writeObject(out: ByteSink, obj: PdfObject, crypt?: Crypt): void {
  if (obj.kind === 'stream') {
    const data = crypt ? crypt.stream(obj.encoded(), obj) : obj.encoded();
    const dict = obj.dict.clone();
    dict.set('Length', new PdfNumber(data.length));
    writeObject(out, dict, crypt);
    out.text('\nstream\n').bytes(data).text('\nendstream');
    return;
  }
  type Item = PdfObject | { lit: string };
  const stack: Item[] = [obj];
  let depth = 0;
  while (stack.length) {
    const o = stack.pop()!;
    if ('lit' in o) {
      out.text(o.lit);
      continue;
    }
    switch (o.kind) {
      case 'null':
        out.text('null');
        break;
      case 'bool':
        out.text(o.value ? 'true' : 'false');
        break;
      case 'number':
        out.text(numberToken(o));
        break;
      case 'name':
        out.text(nameToken(o.name));
        break;
      case 'string': {
        const b = crypt ? crypt.string(o.bytes) : o.bytes;
        out.text(stringToken(b, o.hex || !!crypt));
        break;
      }
      case 'ref':
        out.text(`${o.num} ${o.gen} R`);
        break;
      case 'array': {
        if (++depth > 100_000) throw new PdfError('PDF_LIMIT_EXCEEDED', 'object too large to write');
        stack.push({ lit: ']' });
        for (let i = o.items.length - 1; i >= 0; i--) {
          stack.push(o.items[i]);
          if (i > 0) stack.push({ lit: ' ' });
        }
        out.text('[');
        break;
      }
      case 'dict': {
        if (++depth > 100_000) throw new PdfError('PDF_LIMIT_EXCEEDED', 'object too large to write');
        stack.push({ lit: '>>' });
        const entries = [...o.map];
        for (let i = entries.length - 1; i >= 0; i--) {
          stack.push(entries[i][1]);
          stack.push({ lit: nameToken(entries[i][0]) + ' ' });
        }
        out.text('<<');
        break;
      }
      case 'stream':
        throw new PdfError('PDF_INVALID_ARGUMENT', 'a stream cannot be a direct object inside another object');
    }
  }
}
