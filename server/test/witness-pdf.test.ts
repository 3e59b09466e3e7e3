/**
 * End to end (issue 5): a PDF signed in Node through the running server — witness hash signing (契約印) via
 * pki's createRemoteSigner and the server's built-in TSA — passes the independent judges at B-T.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteSigner } from '@inkan/pki';
import { signPdf } from '@inkan/pades';
import { pem } from '../src/ca/http.ts';
import { startTrustRig, type TrustRig } from './trust-kit.ts';

async function contract(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText('Service agreement', { x: 50, y: 780, size: 14, font });
  return doc.save({ useObjectStreams: false });
}

describe('witness-signed PDF at B-T through the running server', () => {
  let rig: TrustRig;
  let dir: string;
  beforeAll(async () => {
    rig = await startTrustRig('software');
    dir = mkdtempSync(join(tmpdir(), 'inkan-witness-pdf-'));
    cpSync('/work/shared/tools', join(dir, 'tools'), { recursive: true });
  });
  afterAll(async () => {
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes verify-pdf.sh trusting only the platform root', async () => {
    const origin = await rig.listen();
    const email = 'hanako@example.jp';
    const post = (path: string, body: unknown) =>
      fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
      });
    expect((await post('/api/sign/code', { email })).status).toBe(202);
    const code = /(\d{6})/.exec(rig.mailbox.last(email).subject)![1]!;
    const { SAD } = (await (await post('/api/sign/authorize', { email, code })).json()) as { SAD: string };
    const signer = await createRemoteSigner({ baseUrl: `${origin}/api/csc/v2`, credentialID: 'witness', sad: SAD });
    const signed = await signPdf(await contract(), signer, {
      level: 'B-T',
      tsa: { url: `${origin}/api/tsa` },
      reason: '契約印',
      signerName: 'Inkan witness'
    });
    writeFileSync(join(dir, 'signed.pdf'), signed);
    writeFileSync(join(dir, 'root.pem'), pem(rig.trust.ca.root.certificate));
    const r = await new Promise<{ code: number; out: string }>((ok) =>
      execFile(
        join(dir, 'tools/verify-pdf.sh'),
        [join(dir, 'signed.pdf'), join(dir, 'root.pem')],
        (err, stdout, stderr) => ok({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr })
      )
    );
    expect(r.out).toContain('VERDICT: PASS');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/pdfsig: sig1 valid trusted/);
    expect(r.out).toContain('openssl: sig1 valid trusted md=ok sig-tst=ok total-document');
    // NSS (pdfsig) follows the certificate's AIA to our OCSP responder (GET form) and trusts the chain itself
    expect(r.out).toMatch(/pdfsig: sig1 valid trusted total-document\n/);
    const audit = rig.db.prepare('SELECT email FROM witness_signatures').all();
    expect(audit).toEqual([{ email }]);
    const stamps = rig.db.prepare('SELECT count(*) AS n FROM tsa_tokens').get() as { n: number };
    // the signature timestamp came from our TSA (pades may ask once more to size the placeholder)
    expect(stamps.n).toBeGreaterThanOrEqual(1);
  });
});
