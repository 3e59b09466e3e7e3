import { describe, expect, it } from 'vitest';
import { PdfView } from './pdf-view.svelte.ts';

describe('PdfView zoom', () => {
  it('fits the page width by default and steps through the zoom levels from there', () => {
    const view = new PdfView();
    view.firstPage = { width: 600, height: 800 };
    view.containerWidth = 632; // 600 px of page + 2 × 16 px margin → 1 CSS px per point = 75 %
    expect(view.fit).toBe(true);
    expect(view.percent).toBe(75);
    view.zoomIn();
    expect([view.fit, view.percent]).toEqual([false, 100]);
    view.zoomIn();
    expect(view.percent).toBe(125);
    view.zoomOut();
    view.zoomOut();
    expect(view.percent).toBe(75);
    view.fitWidth();
    expect([view.fit, view.percent]).toEqual([true, 75]);
  });

  it('stops at the smallest and largest steps', () => {
    const view = new PdfView();
    view.fit = false;
    for (let i = 0; i < 20; i++) view.zoomOut();
    expect([view.percent, view.canZoomOut, view.canZoomIn]).toEqual([50, false, true]);
    for (let i = 0; i < 20; i++) view.zoomIn();
    expect([view.percent, view.canZoomIn]).toEqual([300, false]);
  });
});

describe('PdfView current page', () => {
  it('is the page with the largest share in view', () => {
    const view = new PdfView();
    view.pageVisibility(1, 0.3);
    view.pageVisibility(2, 0.7);
    expect(view.currentPage).toBe(2);
    view.pageVisibility(2, 0);
    expect(view.currentPage).toBe(1);
  });
});
