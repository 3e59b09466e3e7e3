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
import { opensslTsVerify, pdfsig, qpdfCheck, run, startJudges, verifyPdf, type Judges } from './judges.ts';

let j: Judges;
let work: string;
beforeAll(async () => {
  j = await startJudges({ tsa: true });
  work = mkdtempSync(join(tmpdir(), 'inkan-judges-test-'));
});
afterAll(async () => j?.stop());

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
