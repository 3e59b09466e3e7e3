/**
 * An opened PDF file: lazy object access over the raw bytes (ISO 32000-2 §7.5), per-revision views (§7.5.6),
 * and transparent decryption (§7.6). Nothing is parsed until asked for; parsed objects are cached and
 * must be treated as read-only (use `PdfDict.clone()` to build an updated version).
 */
import { latin1 } from './core/bytes.ts';
import { PdfError } from './core/errors.ts';
import { decodeStream } from './core/filters.ts';
import { PdfDict, PdfRef, PdfStream, type PdfObject } from './core/objects.ts';
import { parseIndirect, readObjHeader } from './core/parser.ts';
import { decryptObject } from './crypto/object.ts';
import { openSecurity, type SecurityHandler } from './crypto/security.ts';
import { loadXref } from './xref/load.ts';
import { ObjectStream } from './xref/objstm.ts';
import { repairedRevisions } from './xref/repair.ts';
import type { Revision } from './xref/revisions.ts';
import type { ScannedObject } from './xref/scan.ts';
import type { XrefEntry } from './xref/section.ts';

export interface OpenOptions {
  /** User or owner password (§7.6.4.3); the empty user password is always tried first. */
  password?: string | Uint8Array;
  /**
   * Also read xref sections no /Prev chain reaches (incremental-saving attacks, complete rewrites) as extra
   * revisions with `linked: false` before the linked ones. For validators; costs one pass over the file.
   */
  recoverUnlinked?: boolean;
}

/** Hops allowed when a reference resolves to another reference. */
const MAX_REF_CHAIN = 32;

/**
 * @example
 * const file = PdfFile.open(bytes, { password });   // PdfError PDF_ENCRYPTED / PDF_BAD_PASSWORD / …
 * const catalog = file.catalog();
 * const before = file.get(catalog.get('Pages') as PdfRef, 0); // as of the original revision
 */
export class PdfFile {
  /** Header version from `%PDF-x.y` (the catalog's /Version may raise it, §7.2.2). */
  readonly version: string;
  readonly headerOffset: number;
  /** Added to xref offsets to obtain positions in `bytes` (non-zero only for header-relative files). */
  readonly offsetShift: number;
  /** Oldest first; the last one is the current state of the document. */
  readonly revisions: readonly Revision[];
  /** True when the cross-reference data was wrong and had to be reconstructed (see `warnings`). */
  readonly repaired: boolean;
  readonly warnings: string[];
  /** Standard security handler when the file is encrypted (§7.6.4), else undefined. */
  readonly security?: SecurityHandler;

  private readonly latest: Map<number, XrefEntry>;
  private readonly scanned?: Map<number, ScannedObject>;
  private readonly cache = new Map<number, { num: number; value: PdfObject }>();
  private readonly objStms = new Map<number, ObjectStream | null>();
  private readonly loading = new Set<number>();
  /** §7.6.1: the encryption dictionary's own strings are not encrypted. */
  private encryptNum = -1;

  private constructor(
    readonly bytes: Uint8Array,
    opts: OpenOptions
  ) {
    const x = loadXref(bytes, { recoverUnlinked: opts.recoverUnlinked });
    this.warnings = x.warnings;
    this.headerOffset = x.headerOffset;
    this.offsetShift = x.shift;
    this.repaired = x.repaired;
    this.scanned = x.scanned;
    const m = /^%PDF-(\d\.\d)/.exec(latin1(bytes, x.headerOffset, Math.min(bytes.length, x.headerOffset + 8)));
    this.version = m ? m[1] : '1.4';
    let revisions = x.revisions;
    if (revisions.length === 0) {
      revisions = repairedRevisions(bytes, x.scannedAll ?? [], this.repairLoader(), (w) => this.warn(w));
    }
    this.revisions = revisions;
    if (revisions.length === 1) this.latest = revisions[0].entries;
    else {
      this.latest = new Map();
      for (const r of revisions) if (r.linked) for (const [n, e] of r.entries) this.latest.set(n, e);
    }
    const enc = this.trailer.get('Encrypt');
    if (enc) {
      if (enc.kind === 'ref') this.encryptNum = enc.num;
      const encDict = this.resolve(enc);
      if (encDict?.kind !== 'dict') throw new PdfError('PDF_MALFORMED', '/Encrypt is not a dictionary');
      const id = this.trailer.get('ID');
      const id0 = id?.kind === 'array' && id.items[0]?.kind === 'string' ? id.items[0].bytes : new Uint8Array(0);
      this.security = openSecurity(encDict, id0, opts.password);
      this.cache.clear(); // nothing parsed so far was decrypted
    }
    if (!this.trailer.get('Root')) throw new PdfError('PDF_MALFORMED', 'trailer has no /Root');
  }

  /** Opens `bytes` (not copied: do not modify them while the file is in use). */
  static open(bytes: Uint8Array, opts: OpenOptions = {}): PdfFile {
    if (!(bytes instanceof Uint8Array)) throw new PdfError('PDF_INVALID_ARGUMENT', 'PdfFile.open expects a Uint8Array');
    const pw = opts.password;
    if (pw !== undefined && typeof pw !== 'string' && !(pw instanceof Uint8Array))
      throw new PdfError('PDF_INVALID_ARGUMENT', 'password must be a string or bytes');
    try {
      return new PdfFile(bytes, opts);
    } catch (e) {
      throw asPdfError(e, 'cannot open PDF');
    }
  }

  /** Trailer of the current revision (§7.5.5). */
  get trailer(): PdfDict {
    return this.revisions[this.revisions.length - 1].trailer;
  }

  /** Document catalog (§7.7.2). */
  catalog(): PdfDict {
    const c = this.resolve(this.trailer.get('Root'));
    if (c?.kind !== 'dict') throw new PdfError('PDF_MALFORMED', 'document catalog missing or not a dictionary');
    return c;
  }

  /** One more than the highest object number in use anywhere (≥ trailer /Size): the first free number. */
  nextObjectNumber(): number {
    let max = 0;
    for (const r of this.revisions) {
      const s = r.trailer.get('Size');
      // §7.5.5 /Size; an absurd value (beyond the 8 388 607 objects of Annex C) is ignored, not obeyed
      if (s?.kind === 'number' && Number.isInteger(s.value) && s.value <= 8_388_607) max = Math.max(max, s.value - 1);
      for (const n of r.entries.keys()) max = Math.max(max, n);
    }
    if (this.scanned) for (const n of this.scanned.keys()) max = Math.max(max, n);
    return max + 1;
  }

  /** Where object `num` lives as of `revision` (default: current), or undefined when free/absent. */
  locate(num: number, revision = this.revisions.length - 1): XrefEntry | undefined {
    let e: XrefEntry | undefined;
    if (!(revision >= 0)) return undefined;
    if (revision >= this.revisions.length - 1) e = this.latest.get(num);
    else {
      const base = this.revisions[revision].base;
      for (let r = revision; r >= base && !e; r--) e = this.revisions[r].entries.get(num);
    }
    if (!e && this.repaired && this.scanned && revision >= this.revisions.length - 1) {
      const s = this.scanned.get(num);
      if (s) e = { type: 1, num, gen: s.gen, offset: s.offset - this.offsetShift };
    }
    return e && e.type !== 0 ? e : undefined;
  }

  /** Object `ref` (or number) as of `revision` (default current); undefined = free or missing (null, §7.3.10). */
  get(ref: PdfRef | number, revision?: number): PdfObject | undefined {
    const num = typeof ref === 'number' ? ref : ref.num;
    const e = this.locate(num, revision);
    if (!e) return undefined;
    return this.load(e, revision);
  }

  /** Follows references (bounded) until a direct object; undefined for null/missing. */
  resolve(o: PdfObject | undefined, revision?: number): PdfObject | undefined {
    for (let i = 0; o?.kind === 'ref'; i++) {
      if (i >= MAX_REF_CHAIN) throw new PdfError('PDF_LIMIT_EXCEEDED', `reference chain longer than ${MAX_REF_CHAIN}`);
      o = this.get(o, revision);
    }
    return o?.kind === 'null' ? undefined : o;
  }

  /** Resolves `d[key]`; the dictionary it is, or undefined. */
  dictAt(d: PdfDict, key: string, revision?: number): PdfDict | undefined {
    const v = this.resolve(d.get(key), revision);
    return v?.kind === 'dict' ? v : undefined;
  }

  /** Decrypted and decoded data of a stream of this file (§7.4). */
  decode(stream: PdfStream, maxBytes?: number): Uint8Array {
    try {
      return decodeStream(stream, { maxBytes, warn: (w) => this.warn(w) });
    } catch (e) {
      throw asPdfError(e, 'stream cannot be decoded');
    }
  }

  warn(msg: string): void {
    if (this.warnings.length < 1000) this.warnings.push(msg);
  }

  private load(e: XrefEntry, revision?: number): PdfObject | undefined {
    if (e.type === 1) return this.loadAt(e.offset + this.offsetShift, e.num, e.gen);
    if (e.type !== 2) return undefined;
    const os = this.objectStream(e.stream, revision);
    return os?.get(e.index, e.num);
  }

  private loadAt(pos: number, num: number, gen: number): PdfObject | undefined {
    const hit = this.cache.get(pos);
    if (hit) return hit.num === num ? hit.value : undefined;
    if (this.loading.has(pos)) return undefined; // e.g. a stream whose /Length refers to itself
    this.loading.add(pos);
    try {
      const o = parseIndirect(
        this.bytes,
        pos,
        (r) => this.lengthOf(r),
        (w) => this.warn(w)
      );
      if (o.num !== num) {
        this.warn(`expected object ${num} at ${pos}, found ${o.num}`);
        return undefined;
      }
      if (this.security && num !== this.encryptNum) decryptObject(this.security, o.value, num, o.gen);
      this.cache.set(pos, { num, value: o.value });
      return o.value;
    } catch (e) {
      if (e instanceof PdfError && e.code !== 'PDF_MALFORMED') throw e;
      if (e instanceof RangeError) throw asPdfError(e, 'object too large');
      this.warn(`object ${num} ${gen} unreadable: ${(e as Error).message}`);
      return undefined;
    } finally {
      this.loading.delete(pos);
    }
  }

  private lengthOf(r: PdfRef): number | undefined {
    const v = this.get(r);
    return v?.kind === 'number' ? v.value : undefined;
  }

  private objectStream(num: number, revision?: number): ObjectStream | undefined {
    const e = this.locate(num, revision);
    if (e?.type !== 1) return undefined; // §7.5.7: an object stream is never itself compressed
    const key = e.offset;
    if (this.objStms.has(key)) return this.objStms.get(key) ?? undefined;
    this.objStms.set(key, null);
    const st = this.loadAt(e.offset + this.offsetShift, num, e.gen);
    if (st?.kind !== 'stream') return undefined;
    try {
      const os = new ObjectStream(st, (w) => this.warn(w));
      this.objStms.set(key, os);
      return os;
    } catch (err) {
      if (err instanceof PdfError && err.code !== 'PDF_MALFORMED') throw err;
      this.warn(`object stream ${num} unreadable: ${(err as Error).message}`);
      return undefined;
    }
  }

  private repairLoader() {
    return {
      objectAt: (o: ScannedObject): PdfObject | undefined => this.loadAt(o.offset, o.num, o.gen),
      objStmMembers: (o: ScannedObject): number[] => {
        const st = this.loadAt(o.offset, o.num, o.gen);
        if (st?.kind !== 'stream') return [];
        try {
          return new ObjectStream(st, (w) => this.warn(w)).nums;
        } catch {
          return [];
        }
      }
    };
  }
}

/** Any failure as a PdfError: RangeError (allocation) → PDF_LIMIT_EXCEEDED, anything else → PDF_MALFORMED. */
export function asPdfError(e: unknown, what: string): PdfError {
  if (e instanceof PdfError) return e;
  if (e instanceof RangeError) return new PdfError('PDF_LIMIT_EXCEEDED', `${what}: ${e.message}`, { cause: e });
  return new PdfError('PDF_MALFORMED', `${what}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

/** Reads just the `N G obj` header at an offset: handy for validators checking xref offsets. */
export function objectHeaderAt(bytes: Uint8Array, pos: number): { num: number; gen: number } | undefined {
  const h = readObjHeader(bytes, pos);
  return h ? { num: h[0], gen: h[1] } : undefined;
}

export { PdfDict };
