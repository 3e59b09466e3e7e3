/**
 * Visible signatures with a Japanese appearance and 印影, filling an existing field, certification (DocMDP)
 * and its refusals, N sequential signers, encrypted input — each output judged by verify-pdf.sh / pdfsig /
 * qpdf, and the picture by pdftoppm pixels.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Signer } from '@inkan/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppearance } from '../appearance/appearance.ts';
import { defaultFontBytes } from '../appearance/font-node.ts';
import { pdfsig, qpdfCheck, qpdfNewProblems, run, startJudges, verifyPdf, type Judges } from '../../test/judges.ts';
import { pdfWithEmptySignatureFields, plainPdf } from '../../test/fixtures.ts';
import { opensslSigner } from '../../test/signers.ts';
import { signPdf } from './sign.ts';

let j: Judges;
let signer: Signer;
let work: string;
let input: Uint8Array;
beforeAll(async () => {
  j = await startJudges();
  signer = await opensslSigner(j);
  work = mkdtempSync(join(tmpdir(), 'inkan-features-'));
  input = await plainPdf(2);
});
afterAll(async () => j?.stop());

function save(name: string, bytes: Uint8Array): string {
  const f = join(work, name);
  writeFileSync(f, bytes);
  return f;
}

describe('visible signatures', () => {
  it('draws the Japanese appearance with a red 印影 at the chosen rectangle of page 2', async () => {
    const appearance = await buildAppearance(
      {
        width: 220,
        height: 70,
        signerName: '山田 太郎',
        signedAt: new Date('2026-11-25T09:00:00Z'),
        reason: '契約に同意します',
        seal: { kind: 'name', name: '山田' }
      },
      await defaultFontBytes()
    );
    const out = await signPdf(input, signer, {
      level: 'B-B',
      visible: { page: 1, rect: [300, 100, 220, 70] },
      appearance,
      signerName: '山田 太郎'
    });
    const file = save('visible.pdf', out);
    const v = await verifyPdf(file, j.rootPem, { level: 'B-B' });
    expect(v.verdict, v.output).toBe('PASS');
    expect(await qpdfNewProblems(save('in.pdf', input), file)).toEqual([]);
    // page 2 at 72 dpi: 595×842 px; the rectangle is x 300..520, y (from top) 842-170..842-100
    execFileSync('pdftoppm', ['-r', '72', '-f', '2', '-l', '2', '-singlefile', file, join(work, 'page2')]);
    const ppm = readFileSync(join(work, 'page2.ppm'));
    const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
    const w = Number(m[1]);
    const px = ppm.subarray(m[0].length);
    const count = (
      x0: number,
      x1: number,
      y0: number,
      y1: number,
      pred: (r: number, g: number, b: number) => boolean
    ) => {
      let n = 0;
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) {
          const i = (y * w + x) * 3;
          if (pred(px[i], px[i + 1], px[i + 2])) n++;
        }
      return n;
    };
    const red = (r: number, g: number, b: number) => r > 150 && g < 90 && b < 90;
    const dark = (r: number, g: number, b: number) => r < 90 && g < 90 && b < 90;
    expect(count(300, 370, 672, 742, red)).toBeGreaterThan(200); // the seal, left of the box
    expect(count(370, 520, 672, 742, dark)).toBeGreaterThan(200); // the text
    expect(count(0, 595, 0, 600, red)).toBe(0); // nothing red elsewhere
    const text = execFileSync('pdftotext', ['-f', '2', '-l', '2', file, '-']).toString('utf8');
    expect(text).toContain('山田 太郎');
  });

  it('refuses a page that does not exist', async () => {
    await expect(
      signPdf(input, signer, { level: 'B-B', visible: { page: 2, rect: [10, 10, 100, 40] } })
    ).rejects.toMatchObject({
      code: 'PADES_INVALID_ARGUMENT'
    });
  });

  it('fills an existing empty field by name and leaves the other one empty', async () => {
    const form = await pdfWithEmptySignatureFields(['Seller', 'Buyer']);
    const out = await signPdf(form, signer, { level: 'B-B', field: 'Buyer' });
    const file = save('field.pdf', out);
    const ps = await pdfsig(file, j.rootPem);
    // pdfsig lists the still-empty field too, unsigned
    const signed = ps.signatures.filter((s) => s.valid);
    expect(signed, ps.output).toHaveLength(1);
    expect(signed[0]).toMatchObject({ field: 'Buyer', valid: true, trusted: true, total: true });
    const v = await verifyPdf(file, j.rootPem);
    expect(v.verdict, v.output).toBe('PASS');
    const again = await signPdf(out, signer, { level: 'B-B', field: 'Buyer' }).catch((e: { code: string }) => e);
    expect((again as { code: string }).code).toBe('PADES_FIELD_ALREADY_SIGNED');
    const second = await signPdf(out, signer, { level: 'B-B', field: 'Seller' });
    const ps2 = await pdfsig(save('field2.pdf', second), j.rootPem);
    expect(
      ps2.signatures
        .filter((s) => s.valid)
        .map((s) => s.field)
        .sort()
    ).toEqual(['Buyer', 'Seller']);
  });
});

describe('multi-party and certification', () => {
  it('three sequential signers: every signature stays valid, the last covers the whole file', async () => {
    let doc = input;
    for (const name of ['甲 株式会社', '乙 合同会社', '立会人'])
      doc = await signPdf(doc, signer, { level: 'B-B', signerName: name });
    const file = save('three.pdf', doc);
    const v = await verifyPdf(file, j.rootPem, { level: 'B-B' });
    expect(v.verdict, v.output).toBe('PASS');
    expect(v.levels).toHaveLength(3);
    const ps = await pdfsig(file, j.rootPem);
    expect(ps.signatures.map((s) => s.valid)).toEqual([true, true, true]);
    expect(ps.signatures.map((s) => s.total)).toEqual([false, false, true]);
  });

  it('a FieldMDP lock: the locked field is refused to later signers, the others stay open; Action All closes all', async () => {
    const form = await pdfWithEmptySignatureFields(['Buyer', 'Witness']);
    const locked = await signPdf(form, signer, {
      level: 'B-B',
      field: 'Seller',
      lock: { action: 'Include', fields: ['Buyer'] }
    });
    await expect(signPdf(locked, signer, { level: 'B-B', field: 'Buyer' })).rejects.toMatchObject({
      code: 'PDF_SIGNING_NOT_PERMITTED'
    });
    const witness = await signPdf(locked, signer, { level: 'B-B', field: 'Witness' });
    const v = await verifyPdf(save('lock-include.pdf', witness), j.rootPem);
    expect(v.verdict, v.output).toBe('PASS');
    const all = await signPdf(form, signer, { level: 'B-B', field: 'Seller', lock: { action: 'All' } });
    expect((await verifyPdf(save('lock-all.pdf', all), j.rootPem)).verdict).toBe('PASS');
    await expect(signPdf(all, signer, { level: 'B-B', field: 'Witness' })).rejects.toMatchObject({
      code: 'PDF_SIGNING_NOT_PERMITTED'
    });
    await expect(signPdf(all, signer, { level: 'B-B' })).rejects.toMatchObject({ code: 'PDF_SIGNING_NOT_PERMITTED' });
    // what qpdf reads back: the /Lock on the field and the FieldMDP transform in the signature
    const json = (await run('qpdf', ['--json', save('lock.json.pdf', locked)])).stdout;
    expect(json).toContain('/SigFieldLock');
    expect(json).toContain('/FieldMDP');
  });

  it('certification P=1 refuses any later signature; P=2 and P=3 allow one', async () => {
    const p1 = await signPdf(input, signer, { level: 'B-B', certify: 1 });
    const v = await verifyPdf(save('cert-p1.pdf', p1), j.rootPem);
    expect(v.verdict, v.output).toBe('PASS');
    await expect(signPdf(p1, signer, { level: 'B-B' })).rejects.toMatchObject({ code: 'PDF_SIGNING_NOT_PERMITTED' });
    for (const p of [2, 3] as const) {
      const certified = await signPdf(input, signer, { level: 'B-B', certify: p });
      const two = await signPdf(certified, signer, { level: 'B-B' });
      const v2 = await verifyPdf(save(`cert-p${p}.pdf`, two), j.rootPem);
      expect(v2.verdict, v2.output).toBe('PASS');
    }
    // a certification signature must come first
    const signed = await signPdf(input, signer, { level: 'B-B' });
    await expect(signPdf(signed, signer, { level: 'B-B', certify: 2 })).rejects.toMatchObject({
      code: 'PADES_INVALID_ARGUMENT'
    });
  });
});

describe('encrypted input', () => {
  it('needs the password (PDF_ENCRYPTED), then signs with the same security handler', async () => {
    const plain = save('plain.pdf', input);
    const enc = join(work, 'enc.pdf');
    const r = await run('qpdf', ['--encrypt', 'user', 'owner', '256', '--', plain, enc]);
    expect(r.code, r.stderr).toBe(0);
    const bytes = new Uint8Array(readFileSync(enc));
    await expect(signPdf(bytes, signer, { level: 'B-B' })).rejects.toMatchObject({ code: 'PDF_ENCRYPTED' });
    const out = await signPdf(bytes, signer, { level: 'B-B', password: 'user' });
    expect(Buffer.from(out.subarray(0, bytes.length)).equals(Buffer.from(bytes))).toBe(true);
    const file = save('enc-signed.pdf', out);
    const q = await qpdfCheck(file, 'user');
    expect(q.code, q.output).toBe(0);
    const ps = await run('pdfsig', ['-upw', 'user', file]);
    expect(ps.stdout).toContain('Signature is Valid.');
  });
});
