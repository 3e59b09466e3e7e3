/**
 * Adobe's predefined CMaps (90ms-RKSJ-H, UniJIS-UCS2-H, …) ship with pdf.js. Japanese PDFs whose fonts are not
 * embedded need them, or their text is drawn as nothing. They are bundled as app assets (offline, no CDN) and
 * handed to pdf.js through its `BinaryDataFactory` hook, so no directory URL has to be guessed.
 */
const cmapUrls = import.meta.glob('/node_modules/pdfjs-dist/cmaps/*.bcmap', {
  query: '?url',
  import: 'default',
  eager: true
}) as Record<string, string>;
const byFileName = new Map(Object.entries(cmapUrls).map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1), url]));

/** pdf.js asks for `{ kind: 'cMapUrl', filename: '90ms-RKSJ-H.bcmap' }`; anything else is refused. */
export class BundledBinaryData {
  constructor(_options: unknown) {}

  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const url = kind === 'cMapUrl' ? byFileName.get(filename) : undefined;
    if (!url) throw new Error(`No bundled ${kind} data named ${filename}`);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
}

/** How many CMaps are bundled (a build without them would silently break Japanese text). */
export const bundledCMapCount = byFileName.size;
