/**
 * B-B and B-T signing judged by tools nobody here wrote (verify-pdf.sh: qpdf, pdfsig+NSS, mutool, openssl
 * cms/ts), on the deterministic test PKI (in-process TSA) and on the reference openssl TSA.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchTransport, type TimestampClientOptions } from '@inkan/pki';
import { createTestPki, TEST_URLS, type TestPki } from '../../../pki/src/testing/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, pdfsig, qpdfNewProblems, startJudges, verifyPdf, type Judges } from '../../test/judges.ts';
import { plainPdf } from '../../test/fixtures.ts';
import { opensslSigner } from '../../test/signers.ts';
import { signPdf } from './sign.ts';
import { prepareSignature } from './prepare.ts';
import { completeSignature } from './complete.ts';

let pki: TestPki;
let j: Judges;
let work: string;
let roots: string; // test PKI root + make-pki root (reference TSA)
let tsa: TimestampClientOptions;
let input: Uint8Array;

beforeAll(async () => {
  pki = await createTestPki();
  j = await startJudges({ tsa: true });
  work = mkdtempSync(join(tmpdir(), 'inkan-sign-'));
  roots = join(work, 'roots.pem');
  const { readFileSync } = await import('node:fs');
  writeFileSync(roots, pki.rootPem + readFileSync(j.rootPem, 'utf8'));
  tsa = { url: TEST_URLS.tsa, transport: fetchTransport(pki.fetch) };
  input = await plainPdf(2);
});
afterAll(async () => j?.stop());

function save(name: string, bytes: Uint8Array): string {
  const f = join(work, name);
  writeFileSync(f, bytes);
  return f;
}

function expectPrefix(out: Uint8Array, inp: Uint8Array) {
  expect(out.length).toBeGreaterThan(inp.length);
  expect(Buffer.from(out.subarray(0, inp.length)).equals(Buffer.from(inp))).toBe(true);
}

describe('signPdf B-B', () => {
  it('with an openssl-made certificate (make-pki.sh): valid and trusted for every judge', async () => {
    const out = await signPdf(input, await opensslSigner(j), { level: 'B-B' });
    expectPrefix(out, input);
    const file = save('bb-openssl.pdf', out);
    const v = await verifyPdf(file, roots, { level: 'B-B' });
    expect(v.verdict, v.output).toBe('PASS');
    expect((await pdfsig(file, roots)).signatures[0]).toMatchObject({ valid: true, trusted: true, total: true });
    expect(await qpdfNewProblems(save('in.pdf', input), file)).toEqual([]);
    expect(out.length - input.length).toBeLessThan(16_384); // little waste: well under 16 KB appended
  });

  it('refuses SHA-1 and a level the options cannot reach', async () => {
    const signer = await pki.signers.p256.signer();
    await expect(signPdf(input, signer, { level: 'B-B', hash: 'SHA-1' as never })).rejects.toMatchObject({
      code: 'PADES_INVALID_ARGUMENT'
    });
    await expect(signPdf(input, signer, { level: 'B-T' })).rejects.toMatchObject({ code: 'PADES_INVALID_ARGUMENT' });
    await expect(signPdf(input, signer, { level: 'B-LT', tsa })).rejects.toMatchObject({
      code: 'PADES_INVALID_ARGUMENT'
    });
  });
});

describe('signPdf B-T', () => {
  it('with the reference openssl TSA (nobody here wrote it)', async () => {
    const out = await signPdf(input, await opensslSigner(j), { level: 'B-T', tsa: { url: j.tsaUrl! } });
    const v = await verifyPdf(save('bt-openssl.pdf', out), roots, { level: 'B-T' });
    expect(v.verdict, v.output).toBe('PASS');
  });

  it('a TSA that does not answer: TSA_UNAVAILABLE and the input untouched', async () => {
    const copy = input.slice();
    const dead = { url: `http://127.0.0.1:${await freePort()}/tsa` };
    await expect(signPdf(copy, await pki.signers.p256.signer(), { level: 'B-T', tsa: dead })).rejects.toMatchObject({
      code: 'TSA_UNAVAILABLE'
    });
    expect(Buffer.from(copy).equals(Buffer.from(input))).toBe(true);
  });

  it('a TSA that rejects or answers for other data: typed refusal, no unstamped signature', async () => {
    const signer = await pki.signers.p256.signer();
    const prepared = await prepareSignature(input, signer, { level: 'B-T', tsa: { url: j.tsaUrl! } });
    const value = await signer.signRaw({ data: prepared.toBeSigned.data }, prepared.hash);
    const before = prepared.pdf.slice();
    await expect(
      completeSignature(prepared, value, { level: 'B-T', tsa: { url: `${j.tsaUrl}/bad-imprint` } })
    ).rejects.toMatchObject({
      code: 'TSA_BAD_RESPONSE'
    });
    await expect(
      completeSignature(prepared, value, { level: 'B-T', tsa: { url: `${j.tsaUrl}/reject` } })
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^TSA_/)
    });
    expect(Buffer.from(prepared.pdf).equals(Buffer.from(before))).toBe(true); // /Contents still empty
  });
});
