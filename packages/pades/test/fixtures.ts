/** Small PDFs made with pdf-lib for the signing tests (the corpus covers files made by others). */
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';

/** A plain document of `pages` A4 pages with a line of text each. */
export async function plainPdf(pages = 1, opts: { objectStreams?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++)
    doc.addPage([595, 842]).drawText(`Contract page ${i + 1}`, { x: 50, y: 780, size: 14, font });
  return doc.save({ useObjectStreams: opts.objectStreams ?? false });
}

/** A document with empty signature fields (widgets on page 1), as a form designer would prepare it. */
export async function pdfWithEmptySignatureFields(names: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  const fields = names.map((n, i) => {
    const widget = doc.context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      T: PDFString.of(n),
      Rect: [50 + i * 220, 100, 250 + i * 220, 170],
      F: 4,
      P: page.ref
    });
    return doc.context.register(widget);
  });
  page.node.set(PDFName.of('Annots'), doc.context.obj(fields));
  doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: fields, SigFlags: 3 }));
  return doc.save({ useObjectStreams: false });
}
