import { describe, it, expect } from 'vitest';
import { sharedTestPki, TEST_NOW, TEST_TSA_POLICY, TEST_URLS } from '../testing/index.ts';
import { fetchTransport, requestTimestamp } from './client.ts';

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
});
