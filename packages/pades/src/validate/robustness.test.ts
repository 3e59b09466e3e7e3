import { describe, expect, it } from 'vitest';
import { PdfFile, signatures } from '@inkan/pdf';
import { createTestPki } from '@inkan/pki/testing';
import { plainPdf } from '../../test/fixtures.ts';
import { signPdf } from '../sign/sign.ts';
import { validatePdf } from './validate.ts';

// Malformed, truncated, corrupted and encrypted-looking inputs: a typed error or a failed verdict, never a
// crash or a hang (issue 4 "Robustness").
describe('hostile and broken inputs', () => {
  it('truncations and deterministic corruptions of a signed file never throw and never pass', async () => {
    const pki = await createTestPki();
    const signed = await signPdf(await plainPdf(1), await pki.signers.p256.signer(), { level: 'B-B' });
    const inputs: Uint8Array[] = [new Uint8Array(0), new TextEncoder().encode('%PDF-1.7\n%%EOF\n')];
    for (const frac of [0.1, 0.5, 0.9, 0.99]) inputs.push(signed.subarray(0, Math.floor(signed.length * frac)));
    // Corrupt bytes inside the signed ranges only (the /Contents gap is not signed), each to a new value.
    const [, gapStart, gapEnd] = signatures(PdfFile.open(signed))[0]!.byteRange as [number, number, number, number];
    let x = 0x2545f491;
    for (let i = 0; i < 40; i++) {
      const copy = signed.slice();
      for (let k = 0; k < 8; k++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        let pos = (x >>> 0) % signed.length;
        if (pos >= gapStart && pos < gapEnd) pos = gapEnd + (pos % (signed.length - gapEnd));
        copy[pos] = signed[pos]! ^ (x & 0xff || 1);
      }
      inputs.push(copy);
    }
    for (const bytes of inputs) {
      const r = await validatePdf(bytes, { trustAnchors: [pki.root.certificate] });
      expect(r.verdict).not.toBe('TOTAL-PASSED');
      expect(r.error === null || typeof r.error === 'string').toBe(true);
    }
  }, 60_000);

  it('a file that is not a PDF is a typed error', async () => {
    const r = await validatePdf(new TextEncoder().encode('hello world'), { trustAnchors: [] });
    expect(r).toMatchObject({ verdict: 'TOTAL-FAILED', error: 'PDF_MALFORMED', signatures: [] });
  });
});
