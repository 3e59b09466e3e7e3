/**
 * Cross-reference sections no /Prev chain reaches (ISO 32000-2 §7.5.6): what an incremental-saving attack
 * or a complete rewrite leaves behind. Found from every `startxref` value and every `xref` keyword that
 * lies before the oldest section of the chain; read only when asked for (it costs a pass over the file).
 */
import { isWhite } from '../core/bytes.ts';
import { readUint, skipWs } from '../core/lexer.ts';
import { findKeyword, headerNumAt } from '../core/parser.ts';
import { readSection, type XrefSection } from './section.ts';

/** Readable sections before `before` not among `known` offsets, newest (highest offset) first. */
export function unlinkedSections(
  b: Uint8Array,
  before: number,
  known: ReadonlySet<number>,
  shift: number,
  warn: (m: string) => void
): XrefSection[] {
  const candidates = new Set<number>();
  for (let i = findKeyword(b, 'startxref', 0); i >= 0 && i < b.length; i = findKeyword(b, 'startxref', i + 9)) {
    const v = readUint(b, skipWs(b, i + 9));
    if (v && v[0] + shift < before) candidates.add(v[0] + shift);
  }
  for (let i = findKeyword(b, 'xref', 0); i >= 0 && i < before; i = findKeyword(b, 'xref', i + 4)) {
    if ((i === 0 || isWhite(b[i - 1])) && isWhite(b[i + 4] ?? 0x20)) candidates.add(i);
  }
  const found = new Map<number, XrefSection>();
  for (const c of candidates) {
    if (known.has(c) || known.has(c - shift)) continue;
    try {
      const s = readSection(b, c, () => {});
      if (s.offset < before && !known.has(s.offset) && pointsIntoThisFile(b, s, shift)) found.set(s.offset, s);
    } catch {
      /* not a section */
    }
  }
  if (found.size) warn(`${found.size} xref section(s) not reachable through /Prev (hidden revisions)`);
  return [...found.values()].sort((x, y) => y.offset - x.offset);
}

/**
 * At least half of the section's in-use offsets hit their own `N G obj`: rules out xref tables that belong
 * to another PDF embedded uncompressed in this one (their offsets are relative to that file).
 */
function pointsIntoThisFile(b: Uint8Array, s: XrefSection, shift: number): boolean {
  let total = 0;
  let hits = 0;
  for (const m of [s.entries, s.xrefStm?.entries])
    for (const e of m?.values() ?? [])
      if (e.type === 1) {
        total++;
        if (headerNumAt(b, e.offset + shift) === e.num) hits++;
      }
  return hits > 0 && hits * 2 >= total;
}
