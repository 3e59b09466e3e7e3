/**
 * Inkan's own signing engine, judged by its validator: every level passes; mutations of its output fail
 * (byte flips inside the signed ranges, an appended revision changing page content, stripped or resized
 * /Contents), and revocation / certification rules apply.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { IncrementalUpdate, PdfFile, PdfStream, dict, pages, signatures, type PdfRef } from '@inkan/pdf';
import { fetchTransport, type TimestampClientOptions } from '@inkan/pki';
import { createTestPki, TEST_URLS, type TestPki } from '@inkan/pki/testing';
import { plainPdf } from '../../test/fixtures.ts';
import { signPdf } from '../sign/sign.ts';
import type { PadesLevel } from './report.ts';
import { validatePdf } from './validate.ts';

let pki: TestPki;
let tsa: TimestampClientOptions;
let input: Uint8Array;
const signed = new Map<PadesLevel, Uint8Array>();
const NOW = () => new Date('2026-11-25T00:00:00Z');

const validate = (bytes: Uint8Array, opts: { fetcher?: typeof fetch } = {}) =>
  validatePdf(bytes, { trustAnchors: [pki.root.certificate], now: NOW, ...opts });

beforeAll(async () => {
  pki = await createTestPki();
  tsa = { url: TEST_URLS.tsa, transport: fetchTransport(pki.fetch) };
  input = await plainPdf(2);
  const signer = await pki.signers.p256.signer();
  for (const level of ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const) {
    signed.set(level, await signPdf(input, signer, { level, tsa, fetch: pki.fetch }));
  }
});

describe('our own signatures', () => {
  it.each(['B-B', 'B-T', 'B-LT', 'B-LTA'] as const)('%s passes and reaches its level', async (level) => {
    const r = await validate(signed.get(level)!);
    expect(r.error).toBeNull();
    expect(r.verdict, JSON.stringify(r.signatures.map((s) => [s.reasons, s.modifications]))).toBe('TOTAL-PASSED');
    expect(r.modifiedAfterSigning).toBe(false);
    const sig = r.signatures.find((s) => s.type === 'signature')!;
    expect(sig).toMatchObject({ intact: true, signatureValid: true, trusted: true, level, keyUsageOk: true });
    if (level !== 'B-B') expect(sig.timestamp).toMatchObject({ valid: true, trusted: true });
    if (level === 'B-LTA')
      expect(r.signatures.some((s) => s.type === 'docTimeStamp' && s.indication === 'TOTAL-PASSED')).toBe(true);
  });

  it('a second signature leaves the first one valid with a permitted change', async () => {
    const twice = await signPdf(signed.get('B-T')!, await pki.signers.rsa.signer(), { level: 'B-T', tsa });
    const r = await validate(twice);
    expect(r.verdict).toBe('TOTAL-PASSED');
    expect(r.signatures).toHaveLength(2);
    expect(r.signatures[0]!.coverage.coversWholeFile).toBe(false);
    expect(r.signatures[0]!.modifications.map((m) => [m.code, m.permitted])).toContainEqual(['SIGNATURE_ADDED', true]);
  });

  it('a certified document (DocMDP P=1) refuses a later approval signature', async () => {
    const certified = await signPdf(input, await pki.signers.p256.signer(), { level: 'B-B', certify: 1 });
    expect((await validate(certified)).signatures[0]!.docMdp).toBe(1);
    const after = await signPdf(certified, await pki.signers.rsa.signer(), { level: 'B-B' }).catch(() => null);
    if (after) {
      const r = await validate(after);
      expect(r.modifiedAfterSigning).toBe(true);
      expect(r.verdict).toBe('TOTAL-FAILED');
    }
  });

  it('a revoked signer is REVOKED when revocation data is fetched (--online)', async () => {
    const out = await signPdf(input, await pki.signers.revoked.signer(), { level: 'B-T', tsa });
    const offline = await validate(out);
    expect(offline.signatures[0]!.revocation).toBe('unknown');
    const online = await validate(out, { fetcher: pki.fetch });
    expect(online.signatures[0]).toMatchObject({
      revocation: 'revoked',
      indication: 'TOTAL-FAILED',
      subIndication: 'REVOKED'
    });
  });

  it('an untrusted root is INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const r = await validatePdf(signed.get('B-B')!, { trustAnchors: [], now: NOW });
    expect(r.signatures[0]).toMatchObject({ intact: true, signatureValid: true, trusted: false });
    expect(r.signatures[0]!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(r.verdict).toBe('INDETERMINATE');
  });
});

describe('mutations of our own output fail', () => {
  it('a byte flipped inside the signed range: HASH_FAILURE', async () => {
    const bytes = signed.get('B-T')!.slice();
    const at = bytes.indexOf(0x28, 200); // a "(" inside the page content (signed range 1)
    bytes[at + 1] ^= 0x01;
    const r = await validate(bytes);
    expect(r.signatures[0]).toMatchObject({ intact: false, indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('an appended revision that changes the page content: modified after signing', async () => {
    const original = signed.get('B-T')!;
    const file = PdfFile.open(original);
    const page = pages(file)[0]!;
    const up = new IncrementalUpdate(file);
    const evil = up.add(
      new PdfStream(dict({}), new TextEncoder().encode('BT /F1 14 Tf 50 780 Td (Pay 1000000 yen) Tj ET'))
    );
    up.set(page.ref as PdfRef, page.dict.clone().set('Contents', evil));
    const r = await validate(up.write().bytes);
    expect(r.modifiedAfterSigning).toBe(true);
    expect(r.modificationReasons).toContain('PAGE_CONTENT_CHANGED');
    expect(r.verdict).toBe('TOTAL-FAILED');
    expect(r.signatures[0]!.intact).toBe(true); // the signed revision itself is intact
  });

  it('/Contents stripped (zeroed): FORMAT_FAILURE', async () => {
    const bytes = signed.get('B-B')!.slice();
    const f = PdfFile.open(bytes);
    const c = signatures(f)[0]!.contents!;
    bytes.fill(0x30, c.start + 1, c.end - 1);
    const r = await validate(bytes);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
  });

  it('/Contents resized (one hex pair removed, file shifted): not passing, ByteRange no longer fits', async () => {
    const bytes = signed.get('B-B')!;
    const f = PdfFile.open(bytes);
    const c = signatures(f)[0]!.contents!;
    const shorter = new Uint8Array(bytes.length - 2);
    shorter.set(bytes.subarray(0, c.end - 3));
    shorter.set(bytes.subarray(c.end - 1), c.end - 3);
    const r = await validate(shorter);
    expect(r.verdict).not.toBe('TOTAL-PASSED');
    expect(r.signatures[0]?.coverage.wellFormed ?? false).toBe(false);
  });
});
