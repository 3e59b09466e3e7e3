import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { PDFDocument, PDFName, StandardFonts, rgb } from 'pdf-lib';

/** A small contract-like PDF: `pages` A4 pages with a heading, some lines of text and a signature box. */
export async function contractPdf(pages = 3, title = 'Service Agreement'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`${title} - page ${n}`, { x: 60, y: 770, size: 22, font, color: rgb(0.1, 0.1, 0.2) });
    for (let line = 0; line < 20; line++) {
      page.drawText(`Article ${line + 1}. The parties agree to the terms set out in this clause.`, {
        x: 60,
        y: 720 - line * 26,
        size: 11,
        font
      });
    }
    page.drawRectangle({ x: 360, y: 80, width: 180, height: 70, borderColor: rgb(0.7, 0.1, 0.15), borderWidth: 2 });
  }
  return Buffer.from(await doc.save());
}

/**
 * A valid one-page PDF of about `megabytes` MB: the bulk is an uncompressed stream of random bytes hung off the
 * catalog, so pdf.js must accept the whole file while rendering stays cheap.
 */
export async function writeLargePdf(path: string, megabytes = 100): Promise<number> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595.28, 841.89]).drawText('Large attachment test', { x: 60, y: 770, size: 22, font });
  const padding = doc.context.stream(randomBytes(megabytes * 1024 * 1024));
  doc.catalog.set(PDFName.of('InkanPadding'), doc.context.register(padding));
  const bytes = await doc.save({ useObjectStreams: false });
  await writeFile(path, bytes);
  return bytes.length;
}

/** Starts like a PDF, then nothing pdf.js can make sense of. */
export function corruptPdf(): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), randomBytes(4096)]);
}
