import type { PDFPageProxy } from 'pdfjs-dist';
import { loadPdfJs } from './pdfjs.ts';

/**
 * Fills `host` (an empty element over the page's canvas, owned by pdf.js, not by Svelte) with the page's text
 * runs, positioned for `scale` (points → CSS px). The text is transparent: it exists to be selected, searched and
 * read by screen readers. Aborting `signal` cancels the render.
 */
export async function renderTextLayer(
  host: HTMLElement,
  page: PDFPageProxy,
  scale: number,
  signal: AbortSignal
): Promise<void> {
  const { TextLayer } = await loadPdfJs();
  if (signal.aborted) return;
  host.replaceChildren();
  host.style.setProperty('--total-scale-factor', String(scale));
  const layer = new TextLayer({
    textContentSource: page.streamTextContent(),
    container: host,
    viewport: page.getViewport({ scale })
  });
  // A newer render (zoom) or the page leaving the view stops this one before it adds stale runs.
  signal.addEventListener('abort', () => layer.cancel(), { once: true });
  await layer.render().catch(() => undefined);
}

/** Empties a text layer (the page was scrolled far away). */
export function clearTextLayer(host: HTMLElement): void {
  host.replaceChildren();
}
