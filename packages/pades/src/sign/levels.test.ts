/**
 * B-LT and B-LTA, signing and extending, with the reference openssl TSA and make-pki's CRL served on
 * loopback (fetched through the injected fetch): judged by verify-pdf.sh plus the judges' PAdES-level facts
 * (openssl ts -verify, the /DSS qpdf reads, the document time-stamp over it).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchTransport, type Signer, type TimestampClientOptions } from '@inkan/pki';
import { createTestPki, TEST_URLS } from '@inkan/pki/testing';
import { dss, PdfFile, signatures, type PdfArray } from '@inkan/pdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfsig, qpdfCheck, run, startJudges, verifyPdf, type Judges } from '../../test/judges.ts';
import { plainPdf } from '../../test/fixtures.ts';
import { opensslSigner } from '../../test/signers.ts';
import { extendPdf } from './extend.ts';
import { signPdf } from './sign.ts';
import { nodeDigester } from '../node-digest.ts';

let j: Judges;
let signer: Signer;
let work: string;
let input: Uint8Array;
let tsa: TimestampClientOptions;
const requested: string[] = [];
const loggingFetch: typeof fetch = (url, init) => {
  requested.push(String(url instanceof Request ? url.url : url));
  return fetch(url, init);
};

beforeAll(async () => {
  j = await startJudges({ tsa: true });
  signer = await opensslSigner(j);
  work = mkdtempSync(join(tmpdir(), 'inkan-levels-'));
  input = await plainPdf(1);
  tsa = { url: j.tsaUrl! };
});
afterAll(async () => j?.stop());

function save(name: string, bytes: Uint8Array): string {
  const f = join(work, name);
  writeFileSync(f, bytes);
  return f;
}

describe('B-LT and B-LTA', () => {
  it('B-LT: a DSS with the chains and the CRL fetched through the injected fetch', async () => {
    requested.length = 0;
    const out = await signPdf(input, signer, { level: 'B-LT', tsa, fetch: loggingFetch });
    expect(requested.some((u) => u.endsWith('/crl/root-ca.crl'))).toBe(true);
    const d = dss(PdfFile.open(out))!;
    expect(d.certs.length).toBeGreaterThanOrEqual(2);
    expect(d.crls.length).toBeGreaterThanOrEqual(1);
    const v = await verifyPdf(save('lt.pdf', out), j.rootPem, { level: 'B-LT', allowLtaUpdates: true });
    expect(v.verdict, v.output).toBe('PASS');
    expect(v.levels[0].level).toBe('B-LT');
    // VRI (ETSI EN 319 142-1 §5.4.2.2): keyed by the uppercase hex SHA-1 of the /Contents string, hashed here
    // from the file's own bytes (the hex between the two ByteRange parts); it names streams of the DSS
    const [s] = signatures(PdfFile.open(out));
    const hexContents = Buffer.from(out.subarray(s.byteRange[1] + 1, s.byteRange[2] - 1)).toString('latin1');
    const key = createHash('sha1').update(Buffer.from(hexContents, 'hex')).digest('hex').toUpperCase();
    expect([...d.vri.keys()]).toEqual([key]);
    const f = PdfFile.open(out);
    const refs = (k: string) => (f.resolve(d.vri.get(key)!.get(k)) as PdfArray).items.map((r) => r.toString());
    expect(refs('Cert').length).toBeGreaterThanOrEqual(2);
    expect(refs('Cert').every((r) => d.certs.some((c) => c.toString() === r))).toBe(true);
    expect(refs('CRL').every((r) => d.crls.some((c) => c.toString() === r))).toBe(true);
    expect(refs('CRL').length).toBeGreaterThanOrEqual(1);
  });

  it('B-LTA: document time-stamp over the DSS covers the whole file', async () => {
    const out = await signPdf(input, signer, { level: 'B-LTA', tsa, fetch });
    const sigs = signatures(PdfFile.open(out));
    expect(sigs.map((s) => s.type)).toEqual(['Sig', 'DocTimeStamp']);
    const v = await verifyPdf(save('lta.pdf', out), j.rootPem, { level: 'B-LTA' });
    expect(v.verdict, v.output).toBe('PASS');
    expect(v.levels[0].level).toBe('B-LTA');
  });

  it('B-LTA on a file with cross-reference streams: each new section is an xref stream, judged the same', async () => {
    const xs = await plainPdf(1, { objectStreams: true });
    expect(Buffer.from(xs).includes('/XRef')).toBe(true);
    const out = await signPdf(xs, signer, { level: 'B-LTA', tsa, fetch, digester: nodeDigester });
    const f = PdfFile.open(out);
    expect(f.revisions.map((r) => r.kind)).toEqual(['stream', 'stream', 'stream', 'stream']);
    const v = await verifyPdf(save('lta-xref-stream.pdf', out), j.rootPem, { level: 'B-LTA' });
    expect(v.verdict, v.output).toBe('PASS');
    expect(v.levels[0].level).toBe('B-LTA');
  });

  it('B-LTA on an encrypted document: every revision written with its security handler', async () => {
    const plain = save('plain.pdf', input);
    const enc = join(work, 'enc.pdf');
    expect((await run('qpdf', ['--encrypt', 'user', 'owner', '256', '--', plain, enc])).code).toBe(0);
    const bytes = new Uint8Array(readFileSync(enc));
    const out = await signPdf(bytes, signer, { level: 'B-LTA', tsa, fetch, password: 'user' });
    const file = save('enc-lta.pdf', out);
    expect((await qpdfCheck(file, 'user')).code).toBe(0);
    expect(signatures(PdfFile.open(out, { password: 'user' })).map((s) => s.type)).toEqual(['Sig', 'DocTimeStamp']);
    expect(dss(PdfFile.open(out, { password: 'user' }))!.crls.length).toBeGreaterThanOrEqual(1);
    // /Contents is never encrypted (ISO 32000-2 §7.6.1): the VRI key is the SHA-1 of the bytes in the file
    const [s] = signatures(PdfFile.open(out, { password: 'user' }));
    const raw = Buffer.from(
      Buffer.from(out.subarray(s.byteRange[1] + 1, s.byteRange[2] - 1)).toString('latin1'),
      'hex'
    );
    const key = createHash('sha1').update(raw).digest('hex').toUpperCase();
    expect([...dss(PdfFile.open(out, { password: 'user' }))!.vri.keys()]).toEqual([key]);
    const ps = await pdfsig(file, j.rootPem, 'user');
    expect(
      ps.signatures.find((s) => s.type?.includes('CAdES') || s.valid),
      ps.output
    ).toMatchObject({ valid: true, trusted: true });
  });

  it('B-LTA on the deterministic test PKI: OCSP responses for the signer and the TSA in the DSS', async () => {
    const pki = await createTestPki();
    const roots = save('test-root.pem', new TextEncoder().encode(pki.rootPem));
    const testTsa = { url: TEST_URLS.tsa, transport: fetchTransport(pki.fetch) };
    for (const who of ['p256', 'rsa'] as const) {
      const out = await signPdf(input, await pki.signers[who].signer(), {
        level: 'B-LTA',
        tsa: testTsa,
        fetch: pki.fetch
      });
      const d = dss(PdfFile.open(out))!;
      expect(d.ocsps.length).toBeGreaterThanOrEqual(2); // signer and TSA certificates (the root needs none)
      expect(d.certs.length).toBeGreaterThanOrEqual(4); // signer, issuing CA, root, TSA (+ OCSP responder)
      const v = await verifyPdf(save(`test-pki-lta-${who}.pdf`, out), roots, { level: 'B-LTA' });
      expect(v.verdict, v.output).toBe('PASS');
    }
  });

  it('B-LT without reachable revocation data fails closed (typed), nothing half-done', async () => {
    const offline: typeof fetch = async () => {
      throw new TypeError('offline');
    };
    const err = await signPdf(input, signer, { level: 'B-LT', tsa, fetch: offline }).catch((e: { code: string }) => e);
    expect((err as { code: string }).code).toMatch(/^(PKI_FETCH_FAILED|PADES_REVOCATION_UNAVAILABLE)$/);
  });
});

describe('extend', () => {
  it('B-T → B-LT → B-LTA → renewed B-LTA: every step judged, earlier bytes kept', async () => {
    const bt = await signPdf(input, signer, { level: 'B-T', tsa });
    const lt = await extendPdf(bt, { level: 'B-LT', fetch });
    expect(Buffer.from(lt.subarray(0, bt.length)).equals(Buffer.from(bt))).toBe(true);
    expect((await verifyPdf(save('x-lt.pdf', lt), j.rootPem, { level: 'B-LT', allowLtaUpdates: true })).verdict).toBe(
      'PASS'
    );
    const lta = await extendPdf(lt, { level: 'B-LTA', tsa, fetch });
    const v = await verifyPdf(save('x-lta.pdf', lta), j.rootPem, { level: 'B-LTA' });
    expect(v.verdict, v.output).toBe('PASS');
    const renewed = await extendPdf(lta, { level: 'B-LTA', tsa, fetch });
    expect(Buffer.from(renewed.subarray(0, lta.length)).equals(Buffer.from(lta))).toBe(true);
    const types = signatures(PdfFile.open(renewed)).map((s) => s.type);
    expect(types).toEqual(['Sig', 'DocTimeStamp', 'DocTimeStamp']);
    // the renewal's DSS has a VRI entry for the first document time-stamp too: SHA-1 of its token's DER
    const dts = signatures(PdfFile.open(lta))[1];
    const dtsKey = createHash('sha1').update(dts.contents!.bytes).digest('hex').toUpperCase();
    expect([...dss(PdfFile.open(renewed))!.vri.keys()]).toContain(dtsKey);
    expect(dss(PdfFile.open(renewed))!.vri.size).toBe(2);
    const v2 = await verifyPdf(save('x-renewed.pdf', renewed), j.rootPem, { level: 'B-LTA' });
    expect(v2.verdict, v2.output).toBe('PASS');
  });

  it('refuses a document without signatures and an LTA extension without a TSA', async () => {
    await expect(extendPdf(input, { level: 'B-LT', fetch })).rejects.toMatchObject({ code: 'PADES_NOTHING_TO_EXTEND' });
    const bt = await signPdf(input, signer, { level: 'B-B' });
    await expect(extendPdf(bt, { level: 'B-LTA', fetch })).rejects.toMatchObject({ code: 'PADES_INVALID_ARGUMENT' });
  });
});
