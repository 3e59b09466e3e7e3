/**
 * Locating and reading all cross-reference data of a file (ISO 32000-2 §7.5.5 file trailer, §7.5.6
 * incremental updates), with bounded /Prev chains and a reconstruction fallback (`repaired`).
 */
import { indexOf, lastIndexOf } from '../core/bytes.ts';
import { PdfError } from '../core/errors.ts';
import { readUint, skipWs } from '../core/lexer.ts';
import { headerNumAt } from '../core/parser.ts';
import { groupRevisions, type Revision } from './revisions.ts';
import { scanObjects, type ScannedObject } from './scan.ts';
import { readSection, type XrefEntry, type XrefSection } from './section.ts';
import { unlinkedSections } from './unlinked.ts';

/** More sections than this in one /Prev chain is treated as an attack. */
const MAX_SECTIONS = 10_000;

export interface LoadedXref {
  /** Offset of `%PDF-` (0 normally; > 0 when junk precedes the header). */
  headerOffset: number;
  /** Value to add to xref offsets to get file positions (= headerOffset for files written relative to it). */
  shift: number;
  revisions: Revision[];
  repaired: boolean;
  /** Reconstruction index by object number (filled when repair was needed): the last definition of each. */
  scanned?: Map<number, ScannedObject>;
  /** Every `N G obj` header found, in file order (filled with `scanned`). */
  scannedAll?: ScannedObject[];
  warnings: string[];
}

export function findHeader(b: Uint8Array): number {
  const i = indexOf(b, '%PDF-', 0, 1024 + 5);
  return i < 0 ? 0 : i;
}

/** Offset stated by the last `startxref` (§7.5.5), or undefined. */
export function findStartxref(b: Uint8Array): number | undefined {
  const at = lastIndexOf(b, 'startxref', b.length, Math.max(0, b.length - 4096));
  const k = at >= 0 ? at : lastIndexOf(b, 'startxref');
  if (k < 0) return undefined;
  const v = readUint(b, skipWs(b, k + 9));
  return v?.[0];
}

export function loadXref(b: Uint8Array, opts: { recoverUnlinked?: boolean } = {}): LoadedXref {
  const warnings: string[] = [];
  const warn = (m: string): void => void warnings.push(m);
  const headerOffset = findHeader(b);
  if (indexOf(b, '%PDF-', 0, 1024 + 5) < 0) warn('no %PDF- header in the first 1024 bytes');
  let shift = 0;
  let repaired = false;
  const sections: XrefSection[] = [];
  const visited = new Set<number>();
  let offset = findStartxref(b);
  if (offset === undefined) {
    warn('no startxref found');
    repaired = true;
  }
  while (offset !== undefined) {
    if (visited.has(offset)) {
      warn(`xref /Prev chain loops back to ${offset}`);
      break;
    }
    if (sections.length >= MAX_SECTIONS) throw new PdfError('PDF_LIMIT_EXCEEDED', 'too many xref sections');
    visited.add(offset);
    const found = readAt(b, offset, shift, headerOffset, warn);
    if (!found) {
      warn(`no xref section at offset ${offset}`);
      repaired = true;
      break;
    }
    if (found.shift !== shift) shift = found.shift;
    if (found.moved || found.section.damaged) repaired = true;
    sections.push(found.section);
    const prev = found.section.trailer.get('Prev');
    offset = prev?.kind === 'number' && Number.isInteger(prev.value) && prev.value >= 0 ? prev.value : undefined;
  }
  let scanned: Map<number, ScannedObject> | undefined;
  let scannedAll: ScannedObject[] | undefined;
  const scan = (): Map<number, ScannedObject> => {
    if (!scanned) {
      scannedAll = scanObjects(b);
      scanned = new Map();
      for (const o of scannedAll) scanned.set(o.num, o);
    }
    return scanned;
  };
  if (sections.length === 0) {
    scan();
    return { headerOffset, shift: 0, revisions: [], repaired: true, scanned, scannedAll, warnings };
  }
  let hidden: XrefSection[] = [];
  if (opts.recoverUnlinked) {
    const known = new Set<number>();
    for (const s of sections) known.add(s.offset).add(s.xrefStm?.offset ?? -1);
    for (const v of visited) known.add(v + shift);
    hidden = unlinkedSections(b, Math.min(...sections.map((s) => s.offset)), known, shift, warn);
  }
  // Check every in-use offset points at its object; fix the ones that do not from a scan. A wrong entry
  // for an xref stream object itself does not affect reading (nothing refers to it): warn only.
  const xrefStreams = new Set<number>();
  for (const s of [...sections, ...hidden])
    for (const x of [s, s.xrefStm]) if (x?.streamNum !== undefined) xrefStreams.add(x.streamNum);
  for (const s of [...sections, ...hidden]) {
    const counts = !hidden.includes(s); // a hidden section's errors do not make the current file "repaired"
    for (const m of [s.entries, s.xrefStm?.entries]) {
      if (!m) continue;
      for (const [n, e] of m) {
        if (e.type !== 1) continue;
        if (headerNumAt(b, e.offset + shift) === n) continue; // generation differences are tolerated
        if (counts && !xrefStreams.has(n)) repaired = true;
        const hit = scan().get(n);
        if (hit) {
          warn(`object ${n}: xref offset ${e.offset} wrong, found at ${hit.offset}`);
          m.set(n, { type: 1, num: n, gen: hit.gen, offset: hit.offset - shift } as XrefEntry);
        } else {
          warn(`object ${n}: xref offset ${e.offset} wrong and object not found`);
          m.delete(n);
        }
      }
    }
  }
  if (shift) warn(`xref offsets are relative to the header at ${headerOffset}`);
  // A broken chain leaves objects unlisted: keep the reconstruction index so lookups can fall back on it.
  if (repaired) scan();
  const older = groupRevisions(b, hidden, shift).map((r) => ({ ...r, linked: false }));
  const revisions = [...older, ...groupRevisions(b, sections, shift)];
  revisions.forEach((r, i) => {
    r.index = i;
    r.base = r.linked ? older.length : 0;
  });
  return { headerOffset, shift, revisions, repaired, scanned, scannedAll, warnings };
}

function readAt(
  b: Uint8Array,
  offset: number,
  shift: number,
  headerOffset: number,
  warn: (m: string) => void
): { section: XrefSection; shift: number; moved: boolean } | undefined {
  const tries: [number, number, boolean][] = [[offset + shift, shift, false]];
  if (headerOffset && shift === 0) tries.push([offset + headerOffset, headerOffset, false]);
  for (let d = 1; d <= 16; d++) tries.push([offset + shift - d, shift, true], [offset + shift + d, shift, true]);
  let firstError: unknown;
  for (const [pos, sh, moved] of tries) {
    if (pos < 0 || pos >= b.length) continue;
    try {
      const section = readSection(b, pos, warn);
      if (moved) warn(`xref section expected at ${offset} found at ${pos - sh}`);
      return { section, shift: sh, moved };
    } catch (e) {
      if (e instanceof PdfError && e.code === 'PDF_LIMIT_EXCEEDED') throw e;
      firstError ??= e;
    }
  }
  if (firstError) warn(`xref at ${offset}: ${(firstError as Error).message}`);
  return undefined;
}
