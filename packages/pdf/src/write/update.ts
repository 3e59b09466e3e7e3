/**
 * Incremental update (ISO 32000-2 §7.5.6): appends new and changed objects, a cross-reference section of the
 * same kind as the file's last one (table for tables and hybrids, stream for xref streams, §7.5.8) and a
 * trailer with /Prev. The input bytes are an exact prefix of the output. Encrypted files get their new
 * strings and streams encrypted with the file's keys (§7.6.2), except a signature's /Contents (§7.6.1).
 */
import { concatBytes } from '../core/bytes.ts';
import { PdfError } from '../core/errors.ts';
import { PdfArray, PdfDict, PdfNumber, PdfRef, PdfString, type PdfObject } from '../core/objects.ts';
import type { PdfFile } from '../file.ts';
import type { XrefEntry } from '../xref/section.ts';
import { nameToken, writeObject, type Crypt } from './serialize.ts';
import { ByteSink } from './sink.ts';
import { writeXrefStream, writeXrefTable, type WrittenEntry } from './xref.ts';

export interface UpdateOptions {
  /** Write even when the file needed xref repair: the new section then lists every object (no /Prev). */
  allowRepaired?: boolean;
  /** Force the kind of the new xref section (default: like the last revision). */
  xref?: 'table' | 'stream';
}

/** Where the signature placeholders ended up in the output (offsets into `WriteResult.bytes`). */
export interface SignaturePlaceholder {
  ref: PdfRef;
  /** [start, end) of the `<00…00>` /Contents token, including the angle brackets. */
  contents: [number, number];
  /** [start, end) of the fixed-width `[…]` /ByteRange token. */
  byteRange: [number, number];
}

export interface WriteResult {
  bytes: Uint8Array<ArrayBuffer>;
  /** Offset of the new xref section (the new `startxref` value as a file position). */
  xrefOffset: number;
  signature?: SignaturePlaceholder;
}

/**
 * The output as two chunks, without copying the input: `head` is the original file itself (never
 * modified), `tail` the new revision, which starts at file offset `head.length`. All offsets (xref,
 * placeholders) are file positions, as in {@link WriteResult}; patches land only in `tail`.
 */
export interface ChunkedWriteResult {
  head: Uint8Array;
  tail: Uint8Array<ArrayBuffer>;
  xrefOffset: number;
  signature?: SignaturePlaceholder;
}

interface Pending {
  gen: number;
  obj: PdfObject;
  sigContentsSize?: number;
  /** Freed by this revision (§7.5.4 'f' entry with the next generation number). */
  free?: boolean;
}

/** Width of each /ByteRange placeholder number: 10 digits cover files up to 9.3 GiB. */
export const BYTE_RANGE_DIGITS = 10;

/**
 * One new revision of `file`. Objects are added or replaced, then `write()` returns the old bytes followed by
 * the new revision.
 *
 * @example
 * const up = new IncrementalUpdate(PdfFile.open(bytes));
 * const cat = up.catalogRef();
 * up.set(cat, (up.resolve(cat) as PdfDict).clone().set('Lang', str('ja-JP')));
 * const { bytes: updated } = up.write();
 */
export class IncrementalUpdate {
  private readonly pending = new Map<number, Pending>();
  private next: number;
  private signatureNum?: number;

  constructor(
    readonly file: PdfFile,
    private readonly opts: UpdateOptions = {}
  ) {
    if (file.repaired && !opts.allowRepaired)
      throw new PdfError('PDF_MALFORMED', 'the file needed cross-reference repair; refusing an incremental update');
    this.next = file.nextObjectNumber();
  }

  /** Adds a new indirect object; returns its reference (number from the trailer /Size on, §7.5.6). */
  add(obj: PdfObject): PdfRef {
    assertObject(obj);
    const ref = this.reserve();
    this.pending.set(ref.num, { gen: 0, obj });
    return ref;
  }

  /** Allocates an object number to fill later with `set` (for objects that refer to each other). */
  reserve(): PdfRef {
    if (this.next >= 8_388_607) throw new PdfError('PDF_LIMIT_EXCEEDED', 'object numbers exhausted');
    const ref = new PdfRef(this.next++, 0);
    this.pending.set(ref.num, { gen: 0, obj: new PdfDict() });
    return ref;
  }

  /** Replaces object `ref` (an existing one, or a reserved one) in the new revision. */
  set(ref: PdfRef, obj: PdfObject): void {
    assertObject(obj);
    if (!(ref instanceof PdfRef)) throw new PdfError('PDF_INVALID_ARGUMENT', 'set() expects a PdfRef');
    if (ref.num <= 0 || ref.num >= this.next) throw new PdfError('PDF_INVALID_ARGUMENT', `no object ${ref.num}`);
    const p = this.pending.get(ref.num);
    this.pending.set(ref.num, { gen: ref.gen, obj, sigContentsSize: p?.sigContentsSize });
  }

  /** Frees object `ref` in the new revision (§7.5.4): an 'f' entry whose generation is one higher. */
  free(ref: PdfRef): void {
    if (!(ref instanceof PdfRef) || ref.num <= 0 || !this.file.locate(ref.num))
      throw new PdfError('PDF_INVALID_ARGUMENT', `object ${ref?.num} is not in use`);
    if (this.pending.has(ref.num))
      throw new PdfError('PDF_INVALID_ARGUMENT', `object ${ref.num} is changed in this update`);
    this.pending.set(ref.num, { gen: Math.min(65535, ref.gen + 1), obj: new PdfDict(), free: true });
  }

  /** Current value of `ref`: the pending one if this update changes it, else the file's. */
  get(ref: PdfRef): PdfObject | undefined {
    const p = this.pending.get(ref.num);
    if (p?.free) return undefined;
    return p?.obj ?? this.file.get(ref);
  }

  /** `file.resolve` that sees this update's pending objects. */
  resolve(o: PdfObject | undefined): PdfObject | undefined {
    for (let i = 0; o?.kind === 'ref'; i++) {
      if (i > 32) throw new PdfError('PDF_LIMIT_EXCEEDED', 'reference chain too long');
      o = this.get(o);
    }
    return o?.kind === 'null' ? undefined : o;
  }

  /**
   * Adds a signature dictionary (§12.8.1) whose /ByteRange and /Contents are placeholders: `/Contents`
   * becomes `<00…00>` of `contentsSize` bytes (hex doubles it), `/ByteRange` a fixed-width array. `dict` holds
   * everything else (/Type /Sig or /DocTimeStamp, /Filter, /SubFilter, /M, /Reference, …).
   */
  addSignature(dict: PdfDict, opts: { contentsSize: number }): PdfRef {
    if (!(dict instanceof PdfDict)) throw new PdfError('PDF_INVALID_ARGUMENT', 'addSignature expects a PdfDict');
    if (this.signatureNum !== undefined) throw new PdfError('PDF_INVALID_ARGUMENT', 'one signature per revision');
    if (!Number.isInteger(opts.contentsSize) || opts.contentsSize < 16 || opts.contentsSize > 1 << 22)
      throw new PdfError('PDF_INVALID_ARGUMENT', 'contentsSize must be an integer in [16, 4 MiB]');
    const d = dict.clone();
    d.delete('Contents');
    d.delete('ByteRange');
    const ref = this.add(d);
    this.pending.get(ref.num)!.sigContentsSize = opts.contentsSize;
    this.signatureNum = ref.num;
    return ref;
  }

  /** Reference of the document catalog (trailer /Root, §7.7.2); `resolve` it to see pending changes. */
  catalogRef(): PdfRef {
    const r = this.file.trailer.get('Root');
    if (r?.kind !== 'ref') throw new PdfError('PDF_MALFORMED', 'trailer /Root is not a reference');
    return r;
  }

  /** Serialises the new revision after the original bytes, in one new array. */
  write(): WriteResult {
    const { head, tail, ...rest } = this.writeChunks();
    return { bytes: concatBytes([head, tail]), ...rest };
  }

  /** Serialises the new revision only; the original bytes stay where they are (no copy of a large file). */
  writeChunks(): ChunkedWriteResult {
    const src = this.file.bytes;
    const needsEol = src.length > 0 && src[src.length - 1] !== 0x0a && src[src.length - 1] !== 0x0d;
    const out = new ByteSink(src.length);
    if (needsEol) out.text('\n');
    const shift = this.file.offsetShift;
    const sec = this.file.security;
    const written: WrittenEntry[] = [];
    let signature: SignaturePlaceholder | undefined;
    for (const num of [...this.pending.keys()].sort((a, b) => a - b)) {
      const p = this.pending.get(num)!;
      if (p.free) {
        written.push({ num, gen: p.gen, offset: 0, free: true });
        continue;
      }
      const crypt: Crypt | undefined = sec && {
        string: (b) => sec.encryptString(b, num, p.gen),
        stream: (b, s) => sec.encryptStream(b, num, p.gen, s.dict)
      };
      written.push({ num, gen: p.gen, offset: out.pos - shift });
      out.text(`${num} ${p.gen} obj\n`);
      if (p.sigContentsSize !== undefined && p.obj.kind === 'dict') {
        signature = writeSignatureDict(out, p.obj, p.sigContentsSize, crypt, new PdfRef(num, p.gen));
      } else writeObject(out, p.obj, crypt);
      out.text('\nendobj\n');
    }
    const trailer = this.trailer();
    const kind =
      this.opts.xref ?? (this.file.revisions[this.file.revisions.length - 1].kind === 'stream' ? 'stream' : 'table');
    const full = this.file.repaired ? this.allEntries() : [];
    const xrefPos = out.pos;
    if (kind === 'stream' || full.some((e) => e.type === 2)) {
      const num = this.next; // the xref stream's own number; write() stays repeatable
      trailer.set('Size', new PdfNumber(num + 1));
      writeXrefStream(out, num, written, full, trailer, shift);
    } else writeXrefTable(out, written, full, trailer);
    out.text(`startxref\n${xrefPos - shift}\n%%EOF\n`);
    return { head: src, tail: out.finishTail(), xrefOffset: xrefPos, signature };
  }

  private trailer(): PdfDict {
    const old = this.file.trailer;
    const t = new PdfDict();
    t.set('Size', new PdfNumber(this.next));
    for (const k of ['Root', 'Info', 'Encrypt']) {
      const v = old.get(k);
      if (v && !(v.kind === 'ref' && this.pending.get(v.num)?.free)) t.set(k, v); // a freed /Info goes away
    }
    const last = this.file.revisions[this.file.revisions.length - 1];
    if (!this.file.repaired && last.startxref >= 0) t.set('Prev', new PdfNumber(last.startxref));
    const id = old.get('ID');
    const id0 = id?.kind === 'array' && id.items[0]?.kind === 'string' ? id.items[0] : undefined;
    const fresh = (): PdfString => new PdfString(globalThis.crypto.getRandomValues(new Uint8Array(16)), true);
    // §14.4: first element permanent, second changes per revision. Encrypted files keep /ID as is (the
    // key derivation uses the first element; readers compare both in some implementations).
    if (this.file.security && id) t.set('ID', id);
    else t.set('ID', new PdfArray([id0 ? new PdfString(id0.bytes, true) : fresh(), fresh()]));
    return t;
  }

  /** Every in-use object of the (repaired) file not rewritten here, for a self-sufficient section. */
  private allEntries(): XrefEntry[] {
    const out: XrefEntry[] = [];
    const top = this.file.nextObjectNumber();
    for (let n = 1; n < top; n++) {
      if (this.pending.has(n)) continue;
      const e = this.file.locate(n);
      if (e) out.push(e);
    }
    return out;
  }
}

const KINDS = new Set(['null', 'bool', 'number', 'name', 'string', 'array', 'dict', 'ref', 'stream']);
function assertObject(o: unknown): asserts o is PdfObject {
  if (!o || typeof o !== 'object' || !KINDS.has((o as PdfObject).kind))
    throw new PdfError('PDF_INVALID_ARGUMENT', 'not a PDF object (build it with the @inkan/pdf classes)');
}

function writeSignatureDict(out: ByteSink, d: PdfDict, size: number, crypt: Crypt | undefined, ref: PdfRef) {
  out.text('<<');
  for (const [k, v] of d.map) {
    out.text(nameToken(k) + ' ');
    writeObject(out, v, crypt);
  }
  out.text('/ByteRange ');
  const brStart = out.pos;
  out.text(`[${Array(4).fill('0'.repeat(BYTE_RANGE_DIGITS)).join(' ')}]`);
  const brEnd = out.pos;
  out.text('/Contents ');
  const cStart = out.pos;
  out.text('<' + '0'.repeat(size * 2) + '>');
  const cEnd = out.pos;
  out.text('>>');
  return { ref, contents: [cStart, cEnd], byteRange: [brStart, brEnd] } as SignaturePlaceholder;
}
