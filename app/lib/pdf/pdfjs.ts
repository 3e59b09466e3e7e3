import type { PDFDocumentProxy } from 'pdfjs-dist';
import { BundledBinaryData } from './binary-data.ts';

type PdfJs = typeof import('pdfjs-dist');
let loading: Promise<PdfJs> | undefined;

/**
 * pdf.js is large (~400 KB + a 1.2 MB worker), so it is loaded on first use. The worker is served by the app
 * itself (CSP: no CDN) and precached by the service worker.
 */
export function loadPdfJs(): Promise<PdfJs> {
  loading ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(
    ([pdfjs, worker]) => {
      pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
      return pdfjs;
    }
  );
  return loading;
}

/**
 * Opens a PDF for display. pdf.js takes ownership of (detaches) the buffer it is given, so pass a copy when the
 * caller still needs the bytes. `isEvalSupported: false` keeps pdf.js within the app's CSP (no `eval`); CMaps come
 * from the app bundle (`cMapUrl` only has to be non-empty for pdf.js to ask for them).
 */
export async function openPdf(data: Uint8Array<ArrayBuffer>): Promise<PDFDocumentProxy> {
  const pdfjs = await loadPdfJs();
  return pdfjs.getDocument({
    data,
    isEvalSupported: false,
    enableXfa: false,
    cMapUrl: '/bundled-cmaps/',
    cMapPacked: true,
    useWorkerFetch: false,
    BinaryDataFactory: BundledBinaryData
  }).promise;
}
