/**
 * 印影 (seal impression): either an image the user supplies (a scanned or drawn seal, PNG or JPEG) or one
 * generated from a name — a red ring with the name's characters in the traditional order (top to bottom,
 * right column first), as the hanko on a 認印 looks.
 *
 * The generated seal is pure geometry ({@link sealLayout}) so the PDF appearance and the app's preview
 * ({@link sealSvg}) draw the same thing.
 */
import { check } from '../errors.ts';

/** A seal to show on a visible signature. */
export type SealImage =
  | { readonly kind: 'png'; readonly bytes: Uint8Array }
  | { readonly kind: 'jpeg'; readonly bytes: Uint8Array }
  /** Generated from a name, e.g. `{ kind: 'name', name: '山田' }`. */
  | { readonly kind: 'name'; readonly name: string };

/** Traditional seal red (朱肉), as RGB in 0..1. */
export const SEAL_RED = { r: 0.82, g: 0.1, b: 0.12 } as const;

/** One character placed in the unit square (origin bottom-left, y up); `y` is the cell centre. */
export interface SealGlyph {
  readonly ch: string;
  readonly x: number;
  readonly y: number;
  /** Font size as a fraction of the square's side. */
  readonly size: number;
}

export interface SealLayout {
  readonly ring: { readonly cx: number; readonly cy: number; readonly r: number; readonly width: number };
  readonly glyphs: readonly SealGlyph[];
  /** Latin names are set on one horizontal line instead. */
  readonly horizontal: boolean;
}

const MAX_CHARS = 6;

/**
 * Where each character of `name` goes inside the unit square.
 *
 * @example sealLayout('山田').glyphs // [{ch:'山', x:.5, y:.66, …}, {ch:'田', x:.5, y:.34, …}]
 */
export function sealLayout(name: string): SealLayout {
  const chars = Array.from(name.normalize('NFC').replace(/\s+/g, ''));
  check(chars.length > 0, 'seal name is empty');
  check(chars.length <= MAX_CHARS || /^[\x20-\x7e]+$/.test(name), `seal name longer than ${MAX_CHARS} characters`);
  const ring = { cx: 0.5, cy: 0.5, r: 0.45, width: 0.055 };
  if (/^[\x20-\x7e]+$/.test(name)) {
    const size = Math.min(0.4, 1.3 / chars.length);
    return { ring, horizontal: true, glyphs: [{ ch: chars.join(''), x: 0.5, y: 0.5, size }] };
  }
  const n = chars.length;
  const cols = n <= 3 ? 1 : 2;
  const rows = Math.ceil(n / cols);
  const size = cols === 1 ? [0.56, 0.34, 0.24][n - 1] : rows === 2 ? 0.29 : 0.21;
  const glyphs: SealGlyph[] = chars.map((ch, i) => {
    const col = Math.floor(i / rows); // 0 = right column
    const row = i % rows;
    const x = cols === 1 ? 0.5 : col === 0 ? 0.5 + size * 0.55 : 0.5 - size * 0.55;
    const y = 0.5 + ((rows - 1) / 2 - row) * size * 1.02;
    return { ch, x, y, size };
  });
  return { ring, horizontal: false, glyphs };
}

/** The generated seal as SVG (for the app's preview); uses the page's Japanese font. */
export function sealSvg(name: string, px = 96): string {
  const l = sealLayout(name);
  const red = `rgb(${Math.round(SEAL_RED.r * 255)},${Math.round(SEAL_RED.g * 255)},${Math.round(SEAL_RED.b * 255)})`;
  const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const text = l.glyphs
    .map(
      (g) =>
        `<text x="${g.x}" y="${1 - g.y}" font-size="${g.size}" text-anchor="middle" dominant-baseline="central">${esc(g.ch)}</text>`
    )
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 1 1">` +
    `<circle cx="${l.ring.cx}" cy="${l.ring.cy}" r="${l.ring.r}" fill="none" stroke="${red}" stroke-width="${l.ring.width}"/>` +
    `<g fill="${red}" font-family="'Noto Serif JP','Noto Sans JP',serif">${text}</g></svg>`
  );
}
