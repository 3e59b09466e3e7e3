import { describe, expect, it } from 'vitest';
import { cssToPdfRect, pdfToCssRect, type PageGeometry } from './geometry.ts';

const a4 = (scale: number): PageGeometry => ({
  pageNumber: 1,
  scale,
  pageWidth: 595,
  pageHeight: 842,
  width: Math.floor(595 * scale),
  height: Math.floor(842 * scale)
});

describe('page geometry', () => {
  it('flips y and divides by the scale (PDF origin is bottom-left)', () => {
    expect(cssToPdfRect({ left: 0, top: 0, width: 100, height: 50 }, a4(1))).toEqual({
      x: 0,
      y: 792,
      width: 100,
      height: 50
    });
    expect(cssToPdfRect({ left: 200, top: 1584, width: 300, height: 100 }, a4(2))).toEqual({
      x: 100,
      y: 0,
      width: 150,
      height: 50
    });
  });

  it('keeps a rectangle dragged past the edge on the page', () => {
    expect(cssToPdfRect({ left: 560, top: -20, width: 100, height: 40 }, a4(1))).toEqual({
      x: 495,
      y: 802,
      width: 100,
      height: 40
    });
  });

  it('round-trips through screen coordinates at any zoom', () => {
    const rect = { x: 360, y: 80, width: 180, height: 70 };
    for (const scale of [0.5, 1.33, 3]) {
      expect(cssToPdfRect(pdfToCssRect(rect, a4(scale)), a4(scale))).toEqual(rect);
    }
  });
});
