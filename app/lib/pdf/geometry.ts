/** What an overlay (e.g. signature fields) needs to draw on top of a rendered page. */
export interface PageGeometry {
  pageNumber: number;
  /** CSS pixels. */
  width: number;
  height: number;
  /** PDF points → CSS pixels. */
  scale: number;
  /** The page's size in points (as pdf.js reports it for the unrotated view). */
  pageWidth: number;
  pageHeight: number;
}

/** A rectangle on screen, CSS pixels from the page's top-left corner. */
export interface CssRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A rectangle in PDF user space (points, origin bottom-left; ISO 32000-2 §8.3.2.3). */
export interface PdfRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const round = (v: number) => Math.round(v * 100) / 100;

/**
 * Screen → PDF: flips the y axis and divides by the scale, clamped to the page.
 *
 * @example cssToPdfRect({ left: 0, top: 0, width: 100, height: 50 }, { pageWidth: 595, pageHeight: 842, scale: 1, … })
 *          // → { x: 0, y: 792, width: 100, height: 50 }
 */
export function cssToPdfRect(r: CssRect, g: PageGeometry): PdfRect {
  const pageW = g.pageWidth;
  const pageH = g.pageHeight;
  const width = Math.min(r.width / g.scale, pageW);
  const height = Math.min(r.height / g.scale, pageH);
  const x = Math.min(Math.max(0, r.left / g.scale), pageW - width);
  const top = Math.min(Math.max(0, r.top / g.scale), pageH - height);
  return { x: round(x), y: round(pageH - top - height), width: round(width), height: round(height) };
}

/** PDF → screen, the inverse of `cssToPdfRect`. */
export function pdfToCssRect(r: PdfRect, g: PageGeometry): CssRect {
  const pageH = g.pageHeight;
  return {
    left: r.x * g.scale,
    top: (pageH - r.y - r.height) * g.scale,
    width: r.width * g.scale,
    height: r.height * g.scale
  };
}
