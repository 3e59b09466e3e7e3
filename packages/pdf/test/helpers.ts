/** Shared test fixtures: small PDFs built with pdf-lib or by hand, and qpdf as an independent judge. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll } from 'vitest';

export const enc = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s);
export const latin = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** A pdf-lib document with `n` pages and a little text. */
export async function makePdf(n = 2, opts: { objectStreams?: boolean; title?: string } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < n; i++) doc.addPage([300, 400]).drawText(`page ${i + 1}`, { x: 20, y: 350, font, size: 12 });
  doc.setTitle(opts.title ?? 'Inkan test');
  return doc.save({ useObjectStreams: opts.objectStreams ?? false });
}

/** A classic-xref PDF assembled by hand from object bodies (1-based), with correct offsets. */
export function handPdf(objects: string[], opts: { trailerExtra?: string; header?: string } = {}): Uint8Array {
  let s = opts.header ?? '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(s.length);
    s += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = s.length;
  s += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`;
  for (const o of offsets) s += `${String(o).padStart(10, '0')} 00000 n\r\n`;
  s += `trailer\n<</Size ${objects.length + 1}/Root 1 0 R${opts.trailerExtra ?? ''}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Uint8Array.from(Buffer.from(s, 'latin1'));
}

/** The standard minimal document: catalog 1, pages 2, page 3. */
export const MINIMAL = [
  '<</Type/Catalog/Pages 2 0 R>>',
  '<</Type/Pages/Kids[3 0 R]/Count 1>>',
  '<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>'
];

let dir: string | undefined;
export function tmp(name: string): string {
  dir ??= mkdtempSync(join(tmpdir(), 'inkan-pdf-'));
  return join(dir, name);
}

// Each test file importing these helpers removes its scratch folder when it is done.
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** `qpdf --check` → { code, out }: 0 ok, 2 errors, 3 warnings. */
export function qpdfCheck(bytes: Uint8Array, password?: string): { code: number; out: string } {
  const f = tmp(`check-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(f, bytes);
  const args = ['--check', f];
  if (password !== undefined) args.unshift(`--password=${password}`);
  const r = spawnSync('qpdf', args, { encoding: 'utf8' });
  return { code: r.status ?? -1, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

/** qpdf's view of one object, decrypted (qpdf --show-object, --filtered-stream-data for streams). */
export function qpdfShow(bytes: Uint8Array, obj: string, password?: string, streamData = false): string {
  const f = tmp(`show-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(f, bytes);
  const args = [`--show-object=${obj}`, f];
  if (streamData) args.unshift('--filtered-stream-data');
  if (password !== undefined) args.unshift(`--password=${password}`);
  return execFileSync('qpdf', args, { encoding: 'latin1' });
}

/** Encrypts with qpdf: `bits` 40 (RC4 R2), 128 (RC4 R3 or AES R4), 256 (AES R6). */
export function qpdfEncrypt(
  bytes: Uint8Array,
  user: string,
  owner: string,
  bits: 40 | 128 | 256,
  aes = true,
  extra: string[] = []
): Uint8Array {
  const i = tmp(`in-${Math.random().toString(36).slice(2)}.pdf`);
  const o = tmp(`out-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(i, bytes);
  const args = ['--allow-weak-crypto', '--encrypt', user, owner, String(bits)];
  if (bits === 128) args.push(`--use-aes=${aes ? 'y' : 'n'}`);
  args.push(...extra, '--', i, o);
  execFileSync('qpdf', args);
  return new Uint8Array(readFileSync(o));
}

export interface QpdfJsonObject {
  stream?: { dict: Record<string, unknown>; data?: string };
}

/** qpdf --json objects with stream data decoded ("generalized") and inlined as base64; undefined if qpdf fails. */
export function qpdfJson(path: string, password?: string): Record<string, QpdfJsonObject> | undefined {
  const args = ['--json', '--json-stream-data=inline', '--decode-level=generalized', path];
  if (password !== undefined) args.unshift(`--password=${password}`);
  const r = spawnSync('qpdf', args, { maxBuffer: 1 << 28, encoding: 'utf8' });
  try {
    return (JSON.parse(r.stdout) as { qpdf: [unknown, Record<string, QpdfJsonObject>] }).qpdf[1];
  } catch {
    return undefined;
  }
}

/** Runs qpdf with `args` between input and output files (e.g. ['--linearize']). */
export function qpdfTransform(bytes: Uint8Array, args: string[]): Uint8Array {
  const i = tmp(`in-${Math.random().toString(36).slice(2)}.pdf`);
  const o = tmp(`out-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(i, bytes);
  execFileSync('qpdf', [...args, i, o]);
  return new Uint8Array(readFileSync(o));
}

/** Renders page 1 with poppler's pdftoppm at 72 dpi; returns an RGB pixel reader (x, y from the top left). */
export function renderPage(bytes: Uint8Array): { width: number; height: number; rgb(x: number, y: number): number[] } {
  const f = tmp(`render-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(f, bytes);
  const ppm = execFileSync('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', '-singlefile', f]);
  // P6 header: "P6\n<w> <h>\n255\n"
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not return a P6 image');
  const [width, height, off] = [Number(header[1]), Number(header[2]), header[0].length];
  return { width, height, rgb: (x, y) => [...ppm.subarray(off + (y * width + x) * 3, off + (y * width + x) * 3 + 3)] };
}
