import { describe, it, expect, beforeAll } from 'vitest';
import { sharedTestPki, type TestPki } from '../testing/index.ts';
import type { Signer } from '../signer.ts';
import { signCms } from './signed-data.ts';
import { verifyCms } from './verify.ts';
import { digest } from '../algorithms.ts';
import { tlv, oidDer, parseAsn1, rawOf } from '../der.ts';
import { concatBytes } from '../bytes.ts';
import { OID } from '../oids.ts';
import * as asn1js from 'asn1js';

let pki: TestPki;
let signer: Signer;
const part1 = new TextEncoder().encode('%PDF-1.7 first part ');
const part2 = new TextEncoder().encode(' second part %%EOF');

beforeAll(async () => {
  pki = await sharedTestPki();
  signer = await pki.signers.p256.signer();
});

async function sign(): Promise<Uint8Array> {
  return signCms({ signer, contentDigest: await digest('SHA-256', concatBytes(part1, part2)) });
}

/** Re-order the signed attributes of a CMS (unsorted SET OF, as in DSS plugtest files) and re-sign them. */
async function withUnsortedAttributes(cms: Uint8Array): Promise<Uint8Array> {
  const ci = parseAsn1(cms, 'cms') as asn1js.Sequence;
  const sd = (ci.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  const infos = sd.valueBlock.value[sd.valueBlock.value.length - 1] as asn1js.Set;
  const si = infos.valueBlock.value[0] as asn1js.Sequence;
  const f = si.valueBlock.value;
  const attrs = (f[3] as asn1js.Constructed).valueBlock.value.map(rawOf).reverse();
  const setDer = tlv(0x31, ...attrs);
  const sig = await signer.signRaw({ data: setDer }, 'SHA-256');
  const newSi = tlv(0x30, rawOf(f[0]!), rawOf(f[1]!), rawOf(f[2]!), tlv(0xa0, ...attrs), rawOf(f[4]!), tlv(0x04, sig));
  const newSd = tlv(0x30, ...sd.valueBlock.value.slice(0, -1).map(rawOf), tlv(0x31, newSi));
  return tlv(0x30, oidDer(OID.signedData), tlv(0xa0, newSd));
}

describe('verifyCms', () => {
  it('reports an intact, valid signature with the signer facts; zero padding tolerated', async () => {
    const cms = await sign();
    const padded = concatBytes(cms, new Uint8Array(500));
    const v = await verifyCms(padded, { content: [part1, part2] });
    expect(v.intact).toBe(true);
    expect(v.signatureValid).toBe(true);
    expect(v.contentTypeAttributeMatches).toBe(true);
    expect(v.signingCertificateAttribute).toBe('v2');
    expect(v.signingCertificateMatches).toBe(true);
    expect(v.hasEncapsulatedContent).toBe(false);
    expect(v.signer?.commonName).toBe('Test Signer P-256');
    expect(v.digestAlgorithm).toBe('SHA-256');
    expect(v.signatureAlgorithm).toEqual({ name: 'ECDSA', hash: 'SHA-256' });
    expect(v.certificates).toHaveLength(3);
    expect(v.cryptoProblem).toBeUndefined();
  });

  it('changed content → intact false, signature still valid (reported, not thrown)', async () => {
    const v = await verifyCms(await sign(), { content: [part1, new TextEncoder().encode('tampered')] });
    expect(v.intact).toBe(false);
    expect(v.signatureValid).toBe(true);
  });

  it('a flipped signature byte → signatureValid false', async () => {
    const cms = await sign();
    const bad = cms.slice();
    bad[bad.length - 3]! ^= 0x01;
    const v = await verifyCms(bad, { contentDigest: (h) => digest(h, concatBytes(part1, part2)) });
    expect(v.intact).toBe(true);
    expect(v.signatureValid).toBe(false);
  });

  it('hashes the signed attributes as encoded (unsorted SET OF still verifies)', async () => {
    const unsorted = await withUnsortedAttributes(await sign());
    const v = await verifyCms(unsorted, { content: [part1, part2] });
    expect(v.signatureValid).toBe(true);
    expect(v.intact).toBe(true);
  });

  it('garbage → PKI_MALFORMED; trailing non-zero bytes → PKI_MALFORMED', async () => {
    await expect(verifyCms(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'PKI_MALFORMED' });
    await expect(verifyCms(concatBytes(await sign(), new Uint8Array([0, 7])))).rejects.toMatchObject({
      code: 'PKI_MALFORMED'
    });
  });
});
