// Bench inputs, generated (never committed) into bench/tmp/: 1 KB, 0.5 MB text-heavy, 10 MB and 50 MB
// image-heavy PDFs made with pdf-lib. Deterministic (seeded), so sizes and timings are comparable.
//   node bench/fixtures.mjs            -> prints the paths and sizes
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts, PDFName } from 'pdf-lib';

export const TMP = join(dirname(fileURLToPath(import.meta.url)), 'tmp');

/** xorshift32: deterministic pseudo-random bytes (incompressible, like photos). */
function noise(n, seed) {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function tiny() {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([200, 100]).drawText('Inkan bench 1 KB', { x: 10, y: 50, size: 12, font });
  return doc.save({ useObjectStreams: false });
}

async function textHeavy(target) {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  const line = 'Article 12. The parties agree that this contract is signed electronically with PAdES. ';
  let bytes = new Uint8Array();
  for (let p = 0; bytes.length < target; p++) {
    const page = doc.addPage([595, 842]);
    for (let y = 800; y > 40; y -= 12) page.drawText(`${p}:${y} ${line}`, { x: 30, y, size: 9, font });
    if (p % 10 === 9) bytes = await doc.save({ useObjectStreams: false });
  }
  return doc.save({ useObjectStreams: false });
}

async function imageHeavy(target) {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const side = 400; // 400×400 RGB = 480 000 bytes per page, raw (incompressible noise, like a scanned photo)
  const pages = Math.max(1, Math.round(target / (side * side * 3)));
  for (let p = 0; p < pages; p++) {
    const img = doc.context.stream(noise(side * side * 3, p + 1), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: side,
      Height: side,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8
    });
    const ref = doc.context.register(img);
    const page = doc.addPage([side, side]);
    const xo = page.node.newXObject('Im', ref);
    const content = doc.context.stream(`q ${side} 0 0 ${side} 0 0 cm /${xo.asString().slice(1)} Do Q`);
    page.node.set(PDFName.of('Contents'), doc.context.register(content));
  }
  return doc.save({ useObjectStreams: false });
}

export const FIXTURES = [
  { name: '1kb', make: () => tiny() },
  { name: '0.5mb-text', make: () => textHeavy(500_000) },
  { name: '10mb', make: () => imageHeavy(10_000_000) },
  { name: '50mb', make: () => imageHeavy(50_000_000) }
];

/** Creates the missing fixtures; returns [{name, path, size}]. */
export async function ensureFixtures() {
  mkdirSync(TMP, { recursive: true });
  const out = [];
  for (const f of FIXTURES) {
    const path = join(TMP, `${f.name}.pdf`);
    if (!existsSync(path)) writeFileSync(path, await f.make());
    out.push({ name: f.name, path, size: statSync(path).size });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of await ensureFixtures())
    console.log(`${f.name.padEnd(12)} ${String(f.size).padStart(10)} B  ${f.path}`);
}
