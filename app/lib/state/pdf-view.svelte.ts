import type { PDFDocumentProxy } from 'pdfjs-dist';
import { openPdf } from '../pdf/pdfjs.ts';

/** Zoom steps offered by the zoom buttons (1 = 100 %, i.e. 72 pt → 72 CSS px … times 96/72 below). */
export const ZOOM_STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;
/** PDF points are 1/72 in; CSS pixels are 1/96 in. */
const CSS_PER_PT = 96 / 72;

/**
 * One open PDF and how it is shown: zoom (explicit or fit-to-width), page size estimate for the placeholders of
 * pages not rendered yet, and the page currently in view.
 */
export class PdfView {
  doc = $state.raw<PDFDocumentProxy | null>(null);
  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  /** Width and height of page 1 in points; later pages correct their own size when they render. */
  firstPage = $state({ width: 595, height: 842 });
  zoom = $state(1);
  fit = $state(true);
  /** Inner width of the scroll area in CSS pixels (measured by the viewer). */
  containerWidth = $state(0);
  currentPage = $state(1);

  readonly pageCount = $derived(this.doc?.numPages ?? 0);
  /** Points → CSS pixels. */
  readonly scale = $derived(
    this.fit && this.containerWidth > 0
      ? Math.max(0.1, (this.containerWidth - 32) / this.firstPage.width)
      : this.zoom * CSS_PER_PT
  );
  /** The zoom as a percentage of actual size (100 % = printed size on a 96 dpi screen). */
  readonly percent = $derived(Math.round((this.scale / CSS_PER_PT) * 100));

  #opening = 0;
  /** Share of each page inside the (800 px extended) viewport; the most visible one is the current page. */
  #visible: Record<number, number> = {};

  pageVisibility(pageNumber: number, ratio: number): void {
    if (ratio > 0) this.#visible[pageNumber] = ratio;
    else delete this.#visible[pageNumber];
    let best = this.currentPage;
    let bestRatio = -1;
    for (const [n, r] of Object.entries(this.#visible)) {
      if (r > bestRatio) [best, bestRatio] = [Number(n), r];
    }
    this.currentPage = best;
  }

  async open(data: Blob | Uint8Array<ArrayBuffer>): Promise<void> {
    const ticket = ++this.#opening;
    this.close();
    this.status = 'loading';
    try {
      const bytes = data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data.slice();
      const doc = await openPdf(bytes);
      const page = await doc.getPage(1);
      const [x0, y0, x1, y1] = page.view;
      const rotated = page.rotate % 180 !== 0;
      if (ticket !== this.#opening) return void doc.destroy();
      this.firstPage = rotated ? { width: y1 - y0, height: x1 - x0 } : { width: x1 - x0, height: y1 - y0 };
      this.doc = doc;
      this.status = 'ready';
    } catch {
      if (ticket === this.#opening) this.status = 'error';
    }
  }

  zoomIn(): void {
    const now = this.scale / CSS_PER_PT;
    this.zoom = ZOOM_STEPS.find((z) => z > now + 0.01) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1];
    this.fit = false;
  }

  zoomOut(): void {
    const now = this.scale / CSS_PER_PT;
    this.zoom = [...ZOOM_STEPS].reverse().find((z) => z < now - 0.01) ?? ZOOM_STEPS[0];
    this.fit = false;
  }

  fitWidth(): void {
    this.fit = true;
  }

  get canZoomIn(): boolean {
    return this.scale / CSS_PER_PT < ZOOM_STEPS[ZOOM_STEPS.length - 1] - 0.01;
  }

  get canZoomOut(): boolean {
    return this.scale / CSS_PER_PT > ZOOM_STEPS[0] + 0.01;
  }

  close(): void {
    void this.doc?.destroy();
    this.doc = null;
    this.status = 'idle';
    this.currentPage = 1;
    this.#visible = {};
  }
}
