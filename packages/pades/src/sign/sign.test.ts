/**
 * B-B and B-T signing with every allowed key type and digest, judged by tools nobody here wrote
 * (verify-pdf.sh: qpdf, pdfsig+NSS, mutool, openssl cms/ts) on certificates made by openssl (make-pki.sh)
 * and time-stamps from the reference openssl TSA.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Signer, TimestampClientOptions } from '@inkan/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, pdfsig, qpdfNewProblems, startJudges, verifyPdf, type Judges } from '../../test/judges.ts';
import { plainPdf } from '../../test/fixtures.ts';
import { opensslEcSigner, opensslSigner } from '../../test/signers.ts';
import { completeSignature } from './complete.ts';
import { prepareSignature } from './prepare.ts';
import { signPdf, signPdfChunks } from './sign.ts';
import { nodeDigester } from '../node-digest.ts';

let j: Judges;
let work: string;
let tsa: TimestampClientOptions;
let input: Uint8Array;
let inputFile: string;
const signers: Record<string, Signer> = {};

beforeAll(async () => {
  j = await startJudges({ tsa: true });
  work = mkdtempSync(join(tmpdir(), 'inkan-sign-'));
  tsa = { url: j.tsaUrl! };
  input = await plainPdf(2);
  inputFile = save('in.pdf', input);
  signers.rsa = await opensslSigner(j);
  signers.pss = await opensslSigner(j, { pss: true });
  signers.p256 = await opensslEcSigner(j, 'P-256');
  signers.p384 = await opensslEcSigner(j, 'P-384');
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
  it('signPdfChunks with nodeDigester: the input itself is the first chunk, untouched; the output verifies', async () => {
    const pristine = input.slice();
    const chunks = await signPdfChunks(input, signers.rsa, { level: 'B-B', digester: nodeDigester });
    expect(chunks[0]).toBe(input); // not copied
    expect(input).toEqual(pristine);
    expect(chunks.length).toBe(2);
    const out = Buffer.concat(chunks);
    const v = await verifyPdf(save('chunks.pdf', out), j.rootPem, { level: 'B-B' });
    expect(v.verdict, v.output).toBe('PASS');
    // a prepared signature made with a digester joins its chunks for `pdf`, lazily and without cloning them
    const prepared = await prepareSignature(input, signers.rsa, { level: 'B-B', digester: nodeDigester });
    expect(prepared.chunks[0]).toBe(input);
    expect(Buffer.from(prepared.pdf).equals(Buffer.concat(prepared.chunks))).toBe(true);
    expect(Object.keys(prepared)).not.toContain('pdf');
  });

  it.each([
    ['rsa', 'SHA-256'],
    ['rsa', 'SHA-512'],
    ['pss', 'SHA-256'],
    ['p256', 'SHA-256'],
    ['p384', 'SHA-384']
  ] as const)('%s with %s: valid and trusted for every judge, input kept as prefix', async (who, hash) => {
    const out = await signPdf(input, signers[who], {
      level: 'B-B',
      hash,
      reason: '契約に同意します',
      signerName: '山田 太郎'
    });
    expectPrefix(out, input);
    const file = save(`bb-${who}-${hash}.pdf`, out);
    const v = await verifyPdf(file, j.rootPem, { level: 'B-B' });
    if (who === 'pss')
      // mutool 1.21 verifies through OpenSSL's PKCS7 API, which has no RSASSA-PSS ("Digest error: Unknown
      // error"); pdfsig and openssl cms judge it (below and in v.lines). Nothing else may fail.
      expect(v.failures, v.output).toEqual(['sig1: mutool reports digest=FAIL']);
    else expect(v.verdict, v.output).toBe('PASS');
    expect(
      v.lines.find((l) => l.startsWith('openssl:')),
      v.output
    ).toMatch(/valid trusted md=ok/);
    const ps = await pdfsig(file, j.rootPem);
    expect(ps.signatures).toHaveLength(1);
    expect(ps.signatures[0], ps.output).toMatchObject({ valid: true, trusted: true, total: true });
    expect(await qpdfNewProblems(inputFile, file)).toEqual([]);
    expect(out.length - input.length).toBeLessThan(16_384); // little waste: well under 16 KB appended
  });

  it('refuses SHA-1 and a level the options cannot reach', async () => {
    await expect(signPdf(input, signers.p256, { level: 'B-B', hash: 'SHA-1' as never })).rejects.toMatchObject({
      code: 'PADES_INVALID_ARGUMENT'
    });
    await expect(signPdf(input, signers.p256, { level: 'B-T' })).rejects.toMatchObject({
      code: 'PADES_INVALID_ARGUMENT'
    });
    await expect(signPdf(input, signers.p256, { level: 'B-LT', tsa })).rejects.toMatchObject({
      code: 'PADES_INVALID_ARGUMENT'
    });
  });
});

describe('signPdf B-T', () => {
  it.each(['rsa', 'p256'])(
    '%s with the reference openssl TSA: signature time-stamp verified by openssl ts -verify',
    async (who) => {
      const out = await signPdf(input, signers[who], { level: 'B-T', tsa });
      expectPrefix(out, input);
      const v = await verifyPdf(save(`bt-${who}.pdf`, out), j.rootPem, { level: 'B-T' });
      expect(v.verdict, v.output).toBe('PASS');
      expect(v.levels[0].level).toBe('B-T');
    }
  );

  it('a TSA that does not answer: TSA_UNAVAILABLE and the input untouched', async () => {
    const copy = input.slice();
    const dead = { url: `http://127.0.0.1:${await freePort()}/tsa` };
    await expect(signPdf(copy, signers.p256, { level: 'B-T', tsa: dead })).rejects.toMatchObject({
      code: 'TSA_UNAVAILABLE'
    });
    expect(Buffer.from(copy).equals(Buffer.from(input))).toBe(true);
  });

  it('a TSA that rejects or answers for other data: typed refusal, no unstamped signature', async () => {
    const signer = signers.p256;
    const prepared = await prepareSignature(input, signer, { level: 'B-T', tsa });
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
    // the paused stage is a plain value: it survives structured cloning (IndexedDB, postMessage to a worker)
    // and resumes with a working TSA
    const restored = structuredClone(prepared);
    const done = await completeSignature(restored, value, { level: 'B-T', tsa });
    expect((await verifyPdf(save('resumed.pdf', done), j.rootPem, { level: 'B-T' })).verdict).toBe('PASS');
  });

  it('a remote hash signer (only the digest of the signed attributes leaves the document)', async () => {
    const local = signers.p384;
    const remote: Signer = {
      certificate: local.certificate,
      chain: local.chain,
      algorithm: local.algorithm,
      acceptsDigest: true,
      signRaw: async (input, hash, opts) => {
        if (opts?.dryRun) return local.signRaw(input, hash, opts); // sizing only, no key use
        expect('digest' in input).toBe(true); // the server never sees the document
        // a stand-in for the 契約印 server: it signs the digest it was sent
        return local.signRaw({ data: remoteData.get(toHex((input as { digest: Uint8Array }).digest))! }, hash);
      }
    };
    const remoteData = new Map<string, Uint8Array>();
    const prepared = await prepareSignature(input, remote, { level: 'B-B', hash: 'SHA-384' });
    remoteData.set(toHex(prepared.toBeSigned.digest), prepared.toBeSigned.data);
    const value = await remote.signRaw({ digest: prepared.toBeSigned.digest }, prepared.hash);
    const out = await completeSignature(prepared, value, { level: 'B-B' });
    expect((await verifyPdf(save('remote.pdf', out), j.rootPem, { level: 'B-B' })).verdict).toBe('PASS');
  });
});

function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
