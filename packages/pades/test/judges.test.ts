/**
 * The judges helper is itself tested: a PDF signed by another product (@signpdf, with make-pki's signer)
 * must PASS, the same file with one covered byte flipped must FAIL, and the reference TSA must answer.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { P12Signer } from '@signpdf/signer-p12';
import signpdf from '@signpdf/signpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncrementalUpdate, num, pages, PdfFile } from '@inkan/pdf';
import { addDocumentTimestamp } from '../src/sign/doc-timestamp.ts';
import { signPdf } from '../src/sign/sign.ts';
import { plainPdf } from './fixtures.ts';
import { opensslTsVerify, pdfsig, qpdfCheck, run, startJudges, verifyPdf, type Judges } from './judges.ts';
import { opensslSigner } from './signers.ts';

let j: Judges;
let work: string;
beforeAll(async () => {
  j = await startJudges({ tsa: true });
  work = mkdtempSync(join(tmpdir(), 'inkan-judges-test-'));
});
afterAll(async () => j?.stop());

function save(name: string, bytes: Uint8Array): string {
  const f = join(work, name);
  writeFileSync(f, bytes);
  return f;
}

async function signedBySignpdf(): Promise<string> {
  const doc = await PDFDocument.create();
  doc.addPage([300, 300]).drawText('judged by others');
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: 'test',
    contactInfo: '',
    name: 'Test',
    location: '',
    subFilter: 'ETSI.CAdES.detached'
  });
  const unsigned = Buffer.from(await doc.save({ useObjectStreams: false }));
  const signer = new P12Signer(readFileSync(j.signerP12), { passphrase: 'test' });
  const signed = await signpdf.sign(unsigned, signer);
  const out = join(work, 'signpdf.pdf');
  writeFileSync(out, signed);
  return out;
}

describe('judges', () => {
  it('PASS a file signed by another product, FAIL it after one covered byte changes', async () => {
    const file = await signedBySignpdf();
    expect((await qpdfCheck(file)).code).toBe(0);
    const ps = await pdfsig(file, j.rootPem);
    expect(ps.signatures).toHaveLength(1);
    expect(ps.signatures[0]).toMatchObject({ valid: true, trusted: true, total: true });
    const ok = await verifyPdf(file, j.rootPem, { level: 'B-B' });
    expect(ok.verdict, ok.output).toBe('PASS');
    expect(ok.levels[0].level).toBe('B-B');
    const bt = await verifyPdf(file, j.rootPem, { level: 'B-T' });
    expect(bt.verdict, bt.output).toBe('FAIL');

    const bytes = readFileSync(file);
    const at = bytes.indexOf('judged by others');
    const tampered = join(work, 'tampered.pdf');
    const t = Buffer.from(bytes);
    if (at >= 0) t[at] ^= 1;
    else t[20] ^= 1; // content stream compressed: flip a byte of the header line comment instead
    writeFileSync(tampered, t);
    const bad = await verifyPdf(tampered, j.rootPem);
    expect(bad.verdict, bad.output).toBe('FAIL');
  });

  it.each([
    ['a classic xref table', false],
    ['cross-reference streams', true]
  ])(
    'with %s, a page changed after the signature is not "validation data": no B-LT, no B-LTA, even under a time-stamp',
    async (kind, objectStreams) => {
      const signer = await opensslSigner(j);
      const tsa = { url: j.tsaUrl! };
      const input = await plainPdf(1, { objectStreams });
      const tag = objectStreams ? 'xs' : 'table';
      const lta = await signPdf(input, signer, { level: 'B-LTA', tsa, fetch });
      const okLta = await verifyPdf(save(`lta-${tag}.pdf`, lta), j.rootPem, { level: 'B-LTA' });
      expect(okLta.verdict, okLta.output).toBe('PASS');
      expect(okLta.levels[0].level, kind).toBe('B-LTA');
      const lt = await signPdf(input, signer, { level: 'B-LT', tsa, fetch });
      const ok = await verifyPdf(save(`lt-${tag}.pdf`, lt), j.rootPem, { level: 'B-LT' });
      expect(ok.verdict, ok.output).toBe('PASS');
      // a sneaky extra revision: page 1 rotated
      const f = PdfFile.open(lt);
      const page = pages(f)[0];
      const up = new IncrementalUpdate(f);
      const d = page.dict.clone();
      d.set('Rotate', num(90));
      up.set(page.ref, d);
      const sneaky = up.write().bytes;
      const v = await verifyPdf(save(`sneaky-lt-${tag}.pdf`, sneaky), j.rootPem, { level: 'B-LT' });
      expect(v.verdict, v.output).toBe('FAIL');
      const stamped = await addDocumentTimestamp(sneaky, tsa);
      const v2 = await verifyPdf(save(`sneaky-lta-${tag}.pdf`, stamped), j.rootPem, { level: 'B-LTA' });
      expect(v2.verdict, v2.output).toBe('FAIL');
      expect(v2.levels[0].level).toBe('B-T');
    }
  );

  it('reference TSA answers and openssl ts -verify accepts the token', async () => {
    const data = join(work, 'data.bin');
    writeFileSync(data, 'hello');
    const q = await run('openssl', ['ts', '-query', '-data', data, '-sha256', '-cert', '-out', join(work, 'q.tsq')], {
      env: { OPENSSL_CONF: '/dev/null' }
    });
    expect(q.code, q.stderr).toBe(0);
    const res = await fetch(j.tsaUrl!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query' },
      body: readFileSync(join(work, 'q.tsq'))
    });
    expect(res.status).toBe(200);
    writeFileSync(join(work, 'r.tsr'), Buffer.from(await res.arrayBuffer()));
    const tok = await run(
      'openssl',
      ['ts', '-reply', '-in', join(work, 'r.tsr'), '-token_out', '-out', join(work, 'tok.der')],
      {
        env: { OPENSSL_CONF: '/dev/null' }
      }
    );
    expect(tok.code, tok.stderr).toBe(0);
    expect((await opensslTsVerify(join(work, 'tok.der'), data, j.rootPem)).code).toBe(0);
    writeFileSync(join(work, 'other.bin'), 'world');
    expect((await opensslTsVerify(join(work, 'tok.der'), join(work, 'other.bin'), j.rootPem)).code).not.toBe(0);
  });
});
