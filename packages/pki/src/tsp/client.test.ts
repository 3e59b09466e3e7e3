import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceTsa, type ReferenceTsa } from '../test-support/reference-tsa.ts';
import { createTimestampRequest, requestTimestamp, readTimestampResponse, type HttpTransport } from './client.ts';
import { verifyTimestampToken } from './token.ts';
import { timestampSignature } from './signature-timestamp.ts';
import { signCms } from '../cms/signed-data.ts';
import { signatureValueOf } from '../cms/unsigned-attributes.ts';
import { sharedTestPki } from '../testing/index.ts';
import { opensslCmsVerify } from '../test-support/openssl.ts';
import { digest } from '../algorithms.ts';

let tsa: ReferenceTsa;
const out = mkdtempSync(join(tmpdir(), 'inkan-pki-tsp-'));
const data = new TextEncoder().encode('signature value to be time-stamped');

beforeAll(async () => {
  tsa = await startReferenceTsa();
});
afterAll(() => tsa?.stop());

describe('RFC 3161 client against the reference openssl TSA', () => {
  it('accepts its answer, chains to the root, and openssl ts -verify agrees', async () => {
    const root = tsa.pki.der('root-ca');
    const v = await requestTimestamp({ url: `${tsa.url}/tsa`, anchors: [root] }, { data });
    expect(v.signatureValid).toBe(true);
    expect(v.imprintMatches).toBe(true);
    expect(v.tsaCertificateValid).toBe(true);
    expect(v.chainsToAnchor).toBe(true);
    expect(v.token.policy).toBe('1.3.6.1.4.1.99999.1.1');
    expect(v.token.imprintAlgorithm).toBe('SHA-256');
    expect(v.token.accuracy).toEqual({ seconds: 1, millis: 0, micros: 0 });
    expect(v.token.tsaName).toContain('Test TSA');
    expect(Math.abs(v.token.genTime.getTime() - Date.now())).toBeLessThan(3_600_000);
    writeFileSync(join(out, 'data.bin'), data);
    writeFileSync(join(out, 'token.der'), v.token.der);
    execFileSync(
      'openssl',
      [
        'ts',
        '-verify',
        '-data',
        join(out, 'data.bin'),
        '-in',
        join(out, 'token.der'),
        '-token_in',
        '-CAfile',
        tsa.pki.file('root-ca.pem'),
        '-untrusted',
        tsa.pki.file('tsa.pem')
      ],
      { stdio: 'pipe' }
    );
  });

  it('SHA-512 imprint and a requested policy', async () => {
    const v = await requestTimestamp(
      { url: `${tsa.url}/tsa`, hash: 'SHA-512', policy: '1.3.6.1.4.1.99999.1.2' },
      { data }
    );
    expect(v.token.imprintAlgorithm).toBe('SHA-512');
    expect(v.token.policy).toBe('1.3.6.1.4.1.99999.1.2');
  });

  it('/tsa/reject → TSA_BAD_RESPONSE naming the status', async () => {
    await expect(requestTimestamp({ url: `${tsa.url}/tsa/reject` }, { data })).rejects.toMatchObject({
      code: 'TSA_BAD_RESPONSE',
      message: expect.stringContaining('rejection')
    });
  });

  it('/tsa/bad-imprint → TSA_BAD_RESPONSE (imprint)', async () => {
    await expect(requestTimestamp({ url: `${tsa.url}/tsa/bad-imprint` }, { data })).rejects.toMatchObject({
      code: 'TSA_BAD_RESPONSE',
      message: expect.stringContaining('imprint')
    });
  });

  it('an untrusted anchor → TSA_BAD_RESPONSE', async () => {
    await expect(
      requestTimestamp({ url: `${tsa.url}/tsa`, anchors: [tsa.pki.der('other-root-ca')] }, { data })
    ).rejects.toMatchObject({ code: 'TSA_BAD_RESPONSE' });
  });

  it('no answer / HTTP error → TSA_UNAVAILABLE', async () => {
    const refused: HttpTransport = async () => {
      throw new Error('ECONNREFUSED');
    };
    await expect(
      requestTimestamp({ url: 'http://127.0.0.1:1/tsa', transport: refused }, { data })
    ).rejects.toMatchObject({ code: 'TSA_UNAVAILABLE' });
    await expect(requestTimestamp({ url: `${tsa.url}/nothing-here` }, { data })).rejects.toMatchObject({
      code: 'TSA_UNAVAILABLE'
    });
  });

  it('a replayed answer for another request fails on the nonce', async () => {
    const transport: HttpTransport = async (url, body, ct) => {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': ct }, body: new Uint8Array(body) });
      return {
        status: r.status,
        contentType: r.headers.get('content-type') ?? undefined,
        body: new Uint8Array(await r.arrayBuffer())
      };
    };
    const req1 = await createTimestampRequest({ digest: await digest('SHA-256', data) });
    const req2 = await createTimestampRequest({ digest: await digest('SHA-256', data) });
    const ans = await transport(`${tsa.url}/tsa`, req1.der, 'application/timestamp-query');
    await expect(readTimestampResponse(ans.body, req1)).resolves.toBeTruthy();
    await expect(readTimestampResponse(ans.body, req2)).rejects.toMatchObject({
      code: 'TSA_BAD_RESPONSE',
      message: expect.stringContaining('nonce')
    });
    await expect(readTimestampResponse(new Uint8Array([1, 2, 3]), req1)).rejects.toMatchObject({
      code: 'TSA_BAD_RESPONSE'
    });
  });

  it('signature-time-stamp on a CMS: openssl cms still verifies, token covers the signature value', async () => {
    const pki = await sharedTestPki();
    const signer = await pki.signers.p256.signer();
    const content = new TextEncoder().encode('pdf bytes');
    const cms = await signCms({ signer, contentDigest: await digest('SHA-256', content) });
    const { cms: withTs } = await timestampSignature(cms, { url: `${tsa.url}/tsa` });
    expect(signatureValueOf(withTs)).toEqual(signatureValueOf(cms));
    opensslCmsVerify(withTs, content, pki.rootPem);
    writeFileSync(join(out, 'bt.der'), withTs);
    const dump = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(out, 'bt.der')], {
      encoding: 'utf8'
    });
    expect(dump).toMatch(/id-smime-aa-timeStampToken|1\.2\.840\.113549\.1\.9\.16\.2\.14/);
    const tokenOk = await verifyTimestampToken(
      (await requestTimestamp({ url: `${tsa.url}/tsa` }, { data: signatureValueOf(cms) })).token.der,
      { imprinted: { data: signatureValueOf(cms) } }
    );
    expect(tokenOk.imprintMatches).toBe(true);
  });
});
