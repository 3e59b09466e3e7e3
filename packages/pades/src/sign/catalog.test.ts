/**
 * What the signature revision declares besides the field: the ESIC developer extension (ETSI EN 319 142-1,
 * ISO 32000-2 §7.12) read back by qpdf's JSON, and /NeedAppearances (§12.7.3) judged by poppler's pixels.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Signer } from '@inkan/pki';
import { PDFBool, PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppearance, type SignatureAppearance } from '../appearance/appearance.ts';
import { defaultFontBytes } from '../appearance/font-node.ts';
import { startJudges, verifyPdf, type Judges } from '../../test/judges.ts';
import { plainPdf } from '../../test/fixtures.ts';
import { opensslSigner } from '../../test/signers.ts';
import { signPdf } from './sign.ts';

let j: Judges;
let signer: Signer;
let work: string;
let appearance: SignatureAppearance;
beforeAll(async () => {
  j = await startJudges();
  signer = await opensslSigner(j);
  work = mkdtempSync(join(tmpdir(), 'inkan-catalog-'));
  appearance = await buildAppearance(
    { width: 220, height: 70, signerName: '山田 太郎', signedAt: new Date('2026-11-25T09:00:00Z') },
    await defaultFontBytes()
  );
});
afterAll(async () => j?.stop());

function save(name: string, bytes: Uint8Array): string {
  const f = join(work, name);
  writeFileSync(f, bytes);
  return f;
}

/** The catalog and the interactive form dictionary as qpdf sees them (qpdf --json=2). */
function qpdfCatalog(file: string): { catalog: Record<string, unknown>; acroForm?: Record<string, unknown> } {
  const json = JSON.parse(execFileSync('qpdf', ['--json=2', '--json-key=qpdf', file], { encoding: 'utf8' }));
  const objects = json.qpdf[1] as Record<string, { value: Record<string, unknown> }>;
  const deref = (v: unknown) => (typeof v === 'string' && / R$/.test(v) ? objects[`obj:${v}`].value : v);
  const catalog = deref(objects.trailer.value['/Root']) as Record<string, unknown>;
  return { catalog, acroForm: deref(catalog['/AcroForm']) as Record<string, unknown> | undefined };
}

/** Dark pixels poppler draws in [x0, x1) × [y0, y1) (pixels from the top) of page 1 at 72 dpi. */
function darkPixels(file: string, x0: number, x1: number, y0: number, y1: number): number {
  const base = file.replace(/\.pdf$/, '');
  execFileSync('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', '-singlefile', file, base]);
  const ppm = readFileSync(`${base}.ppm`);
  const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const w = Number(m[1]);
  const px = ppm.subarray(m[0].length);
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = (y * w + x) * 3;
      if (px[i] < 90 && px[i + 1] < 90 && px[i + 2] < 90) n++;
    }
  return n;
}

/** A form with a filled text field and /NeedAppearances true; `bareField` strips that field's appearance. */
async function formPdf(opts: { bareField?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  const form = doc.getForm();
  const tf = form.createTextField('name');
  tf.setText('Taro');
  tf.addToPage(page, { x: 50, y: 700, width: 200, height: 30 });
  form.acroForm.dict.set(PDFName.of('NeedAppearances'), PDFBool.True);
  if (opts.bareField) for (const w of tf.acroField.getWidgets()) w.dict.delete(PDFName.of('AP'));
  return doc.save({ useObjectStreams: false, updateFieldAppearances: !opts.bareField });
}

/** `pdf` with its header version replaced (same length: offsets stay right). */
function withHeader(pdf: Uint8Array, version: string): Uint8Array {
  const out = pdf.slice();
  out.set(new TextEncoder().encode(`%PDF-${version}`), 0);
  return out;
}

// the signature widget [300, 100, 220, 70] at 72 dpi on an A4 page: x 300..520, y from top 672..742
const visible = { page: 0, rect: [300, 100, 220, 70] } as const;

describe('/NeedAppearances (ISO 32000-2 §12.7.3)', () => {
  it('is removed when every widget has an appearance, so poppler draws our signature', async () => {
    const input = await formPdf();
    expect(qpdfCatalog(save('form.pdf', input)).acroForm?.['/NeedAppearances']).toBe(true);
    const file = save('form-signed.pdf', await signPdf(input, signer, { level: 'B-B', visible, appearance }));
    expect(qpdfCatalog(file).acroForm).not.toHaveProperty('/NeedAppearances');
    expect(darkPixels(file, 300, 520, 672, 742)).toBeGreaterThan(200); // poppler used our /AP
    expect(darkPixels(file, 50, 250, 112, 142)).toBeGreaterThan(20); // the text field still shows "Taro"
    const v = await verifyPdf(file, j.rootPem, { level: 'B-B' });
    expect(v.verdict, v.output).toBe('PASS');
  });

  it('stays when another visible field has no appearance of its own (that field needs it)', async () => {
    const input = await formPdf({ bareField: true });
    const file = save('bare-signed.pdf', await signPdf(input, signer, { level: 'B-B', visible, appearance }));
    expect(qpdfCatalog(file).acroForm?.['/NeedAppearances']).toBe(true);
    const v = await verifyPdf(file, j.rootPem, { level: 'B-B' });
    expect(v.verdict, v.output).toBe('PASS');
  });
});

describe('ESIC developer extension (ETSI EN 319 142-1, ISO 32000-2 §7.12)', () => {
  const esic = { '/BaseVersion': '/1.7', '/ExtensionLevel': 2 };

  it('declares ESIC level 2 once, keeps other extensions, and survives a second signature unchanged', async () => {
    const doc = await PDFDocument.load(await plainPdf(1));
    doc.catalog.set(PDFName.of('Extensions'), doc.context.obj({ ADBE: { BaseVersion: '1.7', ExtensionLevel: 3 } }));
    const input = await doc.save({ useObjectStreams: false });
    const once = await signPdf(input, signer, { level: 'B-B' });
    const c1 = qpdfCatalog(save('esic-1.pdf', once)).catalog;
    expect(c1['/Extensions']).toEqual({ '/ADBE': { '/BaseVersion': '/1.7', '/ExtensionLevel': 3 }, '/ESIC': esic });
    expect(c1).not.toHaveProperty('/Version'); // pdf-lib writes %PDF-1.7 already
    const twice = await signPdf(once, signer, { level: 'B-B' });
    const file = save('esic-2.pdf', twice);
    expect(qpdfCatalog(file).catalog['/Extensions']).toEqual(c1['/Extensions']);
    const v = await verifyPdf(file, j.rootPem, { level: 'B-B' });
    expect(v.verdict, v.output).toBe('PASS');
    expect(v.levels).toHaveLength(2);
  });

  it('raises an older document to /Version /1.7 (BaseVersion may not exceed it); none for PDF 2.0', async () => {
    const plain = await plainPdf(1);
    const old = qpdfCatalog(save('v14.pdf', await signPdf(withHeader(plain, '1.4'), signer, { level: 'B-B' })));
    expect(old.catalog['/Version']).toBe('/1.7');
    expect(old.catalog['/Extensions']).toEqual({ '/ESIC': esic });
    const file = save('v20.pdf', await signPdf(withHeader(plain, '2.0'), signer, { level: 'B-B' }));
    const v20 = qpdfCatalog(file);
    expect(v20.catalog).not.toHaveProperty('/Extensions');
    expect(v20.catalog).not.toHaveProperty('/Version');
    const v = await verifyPdf(file, j.rootPem, { level: 'B-B' });
    expect(v.verdict, v.output).toBe('PASS');
  });
});
