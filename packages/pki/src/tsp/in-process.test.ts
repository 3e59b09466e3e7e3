import { describe, it, expect } from 'vitest';
import { sharedTestPki, TEST_NOW, TEST_TSA_POLICY, TEST_URLS } from '../testing/index.ts';
import { fetchTransport, requestTimestamp, type HttpTransport } from './client.ts';
import { addSignatureTimestampToken, timestampSignature } from './signature-timestamp.ts';
import { signCms } from '../cms/signed-data.ts';
import { verifyCms } from '../cms/verify.ts';
import { signatureValueOf } from '../cms/unsigned-attributes.ts';
import { digest } from '../algorithms.ts';

describe('RFC 3161 client against the shared test PKI TSA (root → CA → TSA)', () => {
  it('accepts the token; the TSA path validates at genTime through the issuing CA', async () => {
    const pki = await sharedTestPki();
    const v = await requestTimestamp(
      { url: TEST_URLS.tsa, transport: fetchTransport(pki.fetch), hash: 'SHA-384', anchors: [pki.root.certificate] },
      { data: new TextEncoder().encode('x') }
    );
    expect(v.token.genTime).toEqual(TEST_NOW);
    expect(v.token.policy).toBe(TEST_TSA_POLICY);
    expect(v.token.imprintAlgorithm).toBe('SHA-384');
    expect(v.tsaPath?.indication).toBe('PASSED');
    expect(v.chain).toHaveLength(3);
  });

  it('an anchor the TSA does not chain to → TSA_BAD_RESPONSE', async () => {
    const pki = await sharedTestPki();
    await expect(
      requestTimestamp(
        { url: TEST_URLS.tsa, transport: fetchTransport(pki.fetch), anchors: [pki.signers.rsa.certificate] },
        { data: new Uint8Array([1]) }
      )
    ).rejects.toMatchObject({ code: 'TSA_BAD_RESPONSE' });
  });

  it('B-T: the embedded signature-time-stamp is reported and verified by verifyCms; a foreign token is refused', async () => {
    const pki = await sharedTestPki();
    const signer = await pki.signers.rsa.signer();
    const content = new TextEncoder().encode('B-T content');
    const cms = await signCms({ signer, contentDigest: await digest('SHA-256', content) });
    const tsa = { url: TEST_URLS.tsa, transport: fetchTransport(pki.fetch) };
    const { cms: bt } = await timestampSignature(cms, tsa);
    const v = await verifyCms(bt, { content: [content], timestampAnchors: [pki.root.certificate] });
    expect(v.intact && v.signatureValid).toBe(true);
    expect(v.signatureTimestamps).toHaveLength(1);
    expect(v.signatureTimestamps[0]).toMatchObject({
      imprintMatches: true,
      signatureValid: true,
      tsaCertificateValid: true,
      chainsToAnchor: true
    });
    const foreign = await requestTimestamp(tsa, { data: new TextEncoder().encode('something else') });
    await expect(addSignatureTimestampToken(cms, foreign.token.der)).rejects.toMatchObject({
      code: 'TSA_BAD_RESPONSE'
    });
    const again = await addSignatureTimestampToken(
      cms,
      (await requestTimestamp(tsa, { data: signatureValueOf(cms) })).token.der
    );
    expect((await verifyCms(again, { content: [content] })).signatureTimestamps[0]?.imprintMatches).toBe(true);
  });

  it('content types: the draft name is tolerated, an HTML page is refused', async () => {
    const pki = await sharedTestPki();
    const relabel =
      (type: string): HttpTransport =>
      async (url, body, ct) => ({ ...(await fetchTransport(pki.fetch)(url, body, ct)), contentType: type });
    const data = { data: new Uint8Array([7]) };
    await expect(
      requestTimestamp({ url: TEST_URLS.tsa, transport: relabel('application/timestamp-response') }, data)
    ).resolves.toBeTruthy();
    await expect(
      requestTimestamp({ url: TEST_URLS.tsa, transport: relabel('text/html; charset=utf-8') }, data)
    ).rejects.toMatchObject({ code: 'TSA_BAD_RESPONSE' });
  });
});
