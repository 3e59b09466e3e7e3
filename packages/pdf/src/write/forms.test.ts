import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { handPdf, makePdf, qpdfCheck, renderPage } from '../../test/helpers.ts';
import { PdfRef, type PdfArray, type PdfDict, type PdfString } from '../core/objects.ts';
import { formFields } from '../doc/fields.ts';
import { pages } from '../doc/pages.ts';
import { docMdp, dss, streamBytes } from '../doc/permissions.ts';
import { signatures } from '../doc/signatures.ts';
import { PdfFile } from '../file.ts';
import { writeDss } from './dss.ts';
import { addExtension } from './extensions.ts';
import { addSignatureField, fillSignatureField, setDocMdp } from './forms.ts';
import { importObject } from './import.ts';
import { signatureDict } from './placeholder.ts';
import { IncrementalUpdate } from './update.ts';

async function appearancePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([120, 40]);
  page.drawRectangle({ x: 2, y: 2, width: 116, height: 36, color: rgb(0.9, 0.1, 0.1) });
  page.drawText('Signed', { x: 10, y: 14, font, size: 14 });
  return doc.save({ useObjectStreams: false });
}

const write = (up: IncrementalUpdate): Uint8Array => {
  const out = up.write().bytes;
  expect(qpdfCheck(out).code, qpdfCheck(out).out).toBe(0);
  return out;
};

describe('signature fields (ISO 32000-2 §12.7.5.5)', () => {
  it('adds a visible field whose appearance is page 1 of a pdf-lib PDF', async () => {
    const f = PdfFile.open(await makePdf(2));
    const up = new IncrementalUpdate(f);
    const sig = up.addSignature(signatureDict(), { contentsSize: 32 });
    const added = addSignatureField(up, {
      name: 'Seal',
      sig,
      page: 1,
      rect: [50, 60, 170, 100],
      appearance: { pdf: await appearancePdf() }
    });
    const g = PdfFile.open(write(up));
    const [field] = formFields(g);
    expect(field).toMatchObject({ name: 'Seal', ft: 'Sig', terminal: true });
    expect(field.ref?.equals(added.field)).toBe(true);
    const w = field.widgets[0].dict;
    expect((w.get('Rect') as PdfArray).items.map((x) => (x.kind === 'number' ? x.value : NaN))).toEqual([
      50, 60, 170, 100
    ]);
    const ap = g.resolve((g.resolve(w.get('AP')) as PdfDict).get('N'));
    expect(ap?.kind).toBe('stream');
    if (ap?.kind !== 'stream') return;
    expect((ap.dict.get('BBox') as PdfArray).items.map((x) => (x.kind === 'number' ? x.value : NaN))).toEqual([
      0, 0, 120, 40
    ]);
    const res = g.resolve(ap.dict.get('Resources')) as PdfDict;
    expect(g.resolve(res.get('Font'))?.kind).toBe('dict');
    expect(new TextDecoder().decode(g.decode(ap))).toMatch(/Tj/);
    const page1 = pages(g)[1].dict;
    const annots = g.resolve(page1.get('Annots')) as PdfArray;
    expect(annots.items.some((a) => a.kind === 'ref' && a.equals(added.widget))).toBe(true);
    const form = g.resolve(g.catalog().get('AcroForm')) as PdfDict;
    expect(form.get('SigFlags')).toMatchObject({ value: 3 });
    expect(signatures(g)[0].fieldNames).toEqual(['Seal']);
  });

  it('the imported appearance is drawn where the widget is (poppler renders it)', async () => {
    const up = new IncrementalUpdate(PdfFile.open(await makePdf(1)));
    const sig = up.addSignature(signatureDict(), { contentsSize: 32 });
    addSignatureField(up, {
      name: 'Seal',
      sig,
      rect: [100, 100, 220, 140],
      appearance: { pdf: await appearancePdf() }
    });
    const img = renderPage(write(up));
    expect(img.height).toBe(400);
    const [r, g, b] = img.rgb(200, 400 - 110); // inside the rect, right of the text
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    expect(img.rgb(50, 400 - 120)).toEqual([255, 255, 255]); // outside: untouched page
  });

  it('refuses a duplicate field name', async () => {
    const up = new IncrementalUpdate(PdfFile.open(await makePdf(1)));
    addSignatureField(up, { name: 'A' });
    const g = PdfFile.open(up.write().bytes);
    expect(() => addSignatureField(new IncrementalUpdate(g), { name: 'A' })).toThrowError(
      expect.objectContaining({ code: 'PDF_INVALID_ARGUMENT' })
    );
  });

  it('fills an existing empty field reached through indirect /Fields and /Annots arrays', () => {
    const f = PdfFile.open(
      handPdf([
        '<</Type/Catalog/Pages 2 0 R/AcroForm 4 0 R>>',
        '<</Type/Pages/Kids[3 0 R]/Count 1>>',
        '<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Annots 7 0 R>>',
        '<</Fields 5 0 R>>',
        '[6 0 R]',
        '<</T(Parent)/Kids[8 0 R]>>',
        '[8 0 R]',
        '<</FT/Sig/T(Child)/Parent 6 0 R/Type/Annot/Subtype/Widget/Rect[0 0 0 0]/P 3 0 R>>'
      ])
    );
    expect(formFields(f).map((x) => x.name)).toEqual(['Parent', 'Parent.Child']);
    const up = new IncrementalUpdate(f);
    const sig = up.addSignature(signatureDict(), { contentsSize: 32 });
    fillSignatureField(up, 'Parent.Child', sig);
    const g = PdfFile.open(write(up));
    const [s] = signatures(g);
    expect(s.fieldNames).toEqual(['Parent.Child']);
    expect(s.ref?.equals(sig)).toBe(true);
    expect((g.resolve(g.catalog().get('AcroForm')) as PdfDict).get('SigFlags')).toMatchObject({ value: 3 });
    expect(() => fillSignatureField(new IncrementalUpdate(g), 'Parent.Child', new PdfRef(1))).toThrowError(
      expect.objectContaining({ code: 'PDF_INVALID_ARGUMENT' })
    );
  });

  it('can clear /NeedAppearances so viewers use the signature appearance', () => {
    const f = PdfFile.open(
      handPdf([
        '<</Type/Catalog/Pages 2 0 R/AcroForm 4 0 R>>',
        '<</Type/Pages/Kids[3 0 R]/Count 1>>',
        '<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>',
        '<</Fields[]/NeedAppearances true>>'
      ])
    );
    const kept = new IncrementalUpdate(f);
    addSignatureField(kept, { name: 'A' });
    expect((PdfFile.open(write(kept)).get(4) as PdfDict).has('NeedAppearances')).toBe(true);
    const cleared = new IncrementalUpdate(f);
    addSignatureField(cleared, { name: 'A', clearNeedAppearances: true });
    const g = PdfFile.open(write(cleared));
    expect((g.get(4) as PdfDict).has('NeedAppearances')).toBe(false);
    expect(formFields(g).map((x) => x.name)).toEqual(['A']);
  });

  it('walks a circular field tree without hanging', () => {
    const f = PdfFile.open(
      handPdf([
        '<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[4 0 R]>>>>',
        '<</Type/Pages/Kids[3 0 R]/Count 1>>',
        '<</Type/Page/Parent 2 0 R>>',
        '<</T(a)/Kids[5 0 R]>>',
        '<</T(b)/Kids[4 0 R]>>'
      ])
    );
    expect(formFields(f).map((x) => x.name)).toEqual(['a', 'a.b']);
    expect(f.warnings.join()).toMatch(/reached twice/);
  });
});

describe('importObject', () => {
  it('copies a cyclic object graph once, renumbering every reference', () => {
    const src = PdfFile.open(
      handPdf([
        '<</Type/Catalog/Pages 2 0 R>>',
        '<</Type/Pages/Kids[3 0 R]/Count 1>>',
        '<</Type/Page/Parent 2 0 R>>',
        '<</Name/A/Next 5 0 R/Self 4 0 R>>',
        '<</Name/B/Next 4 0 R/Data 6 0 R>>',
        '<</Length 3>>\nstream\nxyz\nendstream'
      ])
    );
    const f = PdfFile.open(
      handPdf(['<</Type/Catalog/Pages 2 0 R>>', '<</Type/Pages/Kids[3 0 R]/Count 1>>', '<</Type/Page/Parent 2 0 R>>'])
    );
    const up = new IncrementalUpdate(f);
    const copied = importObject(up, src, new PdfRef(4));
    expect(copied.kind).toBe('ref');
    const g = PdfFile.open(write(up));
    const a = g.resolve(copied) as PdfDict;
    const b = g.resolve(a.get('Next')) as PdfDict;
    expect(b.get('Name')).toMatchObject({ name: 'B' });
    expect((b.get('Next') as PdfRef).key).toBe((copied as PdfRef).key);
    expect((a.get('Self') as PdfRef).key).toBe((copied as PdfRef).key);
    const data = g.resolve(b.get('Data'));
    expect(data?.kind === 'stream' && new TextDecoder().decode(g.decode(data))).toBe('xyz');
    expect(g.nextObjectNumber()).toBe(4 + 3); // three objects imported, numbered from /Size
  });
});

describe('certification and DSS (§12.8.2.2, §12.8.4.3)', () => {
  it('certifies with DocMDP and refuses a second certification', async () => {
    const f = PdfFile.open(await makePdf(1));
    const up = new IncrementalUpdate(f);
    const sig = up.addSignature(signatureDict({ docMdp: 1 }), { contentsSize: 32 });
    addSignatureField(up, { name: 'Cert', sig });
    setDocMdp(up, sig);
    addExtension(up, 'ESIC', '1.7', 5);
    const g = PdfFile.open(write(up));
    expect(docMdp(g)).toMatchObject({ p: 1 });
    expect(docMdp(g)?.sigRef?.equals(sig)).toBe(true);
    expect(docMdp(f)).toBeUndefined();
    const ext = g.resolve(g.catalog().get('Extensions')) as PdfDict;
    expect((ext.get('ESIC') as PdfDict).get('ExtensionLevel')).toMatchObject({ value: 5 });
    expect(() => setDocMdp(new IncrementalUpdate(g), new PdfRef(1))).toThrowError(
      expect.objectContaining({ code: 'PDF_SIGNING_NOT_PERMITTED' })
    );
  });

  it('writes a DSS, then merges more data without duplicates', async () => {
    const [a, b, c, d] = ['cert-a', 'cert-b', 'crl-c', 'cert-d'].map((s) => new TextEncoder().encode(s));
    const key = 'ab'.repeat(20);
    const up = new IncrementalUpdate(PdfFile.open(await makePdf(1)));
    writeDss(up, { certs: [a, b], crls: [c], vri: { [key]: { certs: [a], time: new Date(0) } } });
    const g = PdfFile.open(write(up));
    const first = dss(g)!;
    expect(streamBytes(g, first.certs)).toEqual([a, b]);
    expect(streamBytes(g, first.crls)).toEqual([c]);
    const vri = first.vri.get(key.toUpperCase())!;
    expect((g.resolve(vri.get('Cert')) as PdfArray).items[0].toString()).toBe(first.certs[0].toString());
    expect((vri.get('TU') as PdfString).text()).toBe('D:19700101000000Z');
    const up2 = new IncrementalUpdate(g);
    writeDss(up2, { certs: [b, d], ocsps: [c] });
    const h = PdfFile.open(write(up2));
    const second = dss(h)!;
    expect(streamBytes(h, second.certs)).toEqual([a, b, d]);
    expect(streamBytes(h, second.ocsps)).toEqual([c]);
    expect(second.vri.size).toBe(1);
    expect(() => writeDss(new IncrementalUpdate(h), { vri: { nothex: {} } })).toThrowError(
      expect.objectContaining({ code: 'PDF_INVALID_ARGUMENT' })
    );
  });
});
