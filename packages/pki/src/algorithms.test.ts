import { describe, it, expect } from 'vitest';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import {
  digestFromOid,
  ecdsaDerToRaw,
  ecdsaRawToDer,
  parseSignatureAlgorithm,
  signatureAlgorithmIdentifier,
  schemeFromPublicKey,
  maxSignatureLength
} from './algorithms.ts';
import { OID } from './oids.ts';
import { parsePkijs } from './der.ts';

describe('algorithm allow-list', () => {
  it('digests: SHA-2 only', () => {
    expect(digestFromOid(OID.sha384)).toBe('SHA-384');
    expect(() => digestFromOid(OID.sha1)).toThrow(expect.objectContaining({ code: 'PKI_ALGORITHM_NOT_ALLOWED' }));
  });

  it('signature identifiers round-trip; SHA-1 and unknown OIDs are refused', () => {
    for (const scheme of [
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048 },
      { name: 'RSA-PSS', modulusLength: 2048 },
      { name: 'ECDSA', namedCurve: 'P-384' }
    ] as const) {
      for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
        const id = new pkijs.AlgorithmIdentifier({
          schema: asn1js.fromBER(signatureAlgorithmIdentifier(scheme, hash).toSchema().toBER()).result
        });
        expect(parseSignatureAlgorithm(id)).toMatchObject({ name: scheme.name, hash });
      }
    }
    for (const oid of [OID.sha1WithRSAEncryption, OID.ecdsaWithSHA1, '1.2.3.4']) {
      expect(() => parseSignatureAlgorithm(new pkijs.AlgorithmIdentifier({ algorithmId: oid }))).toThrow(
        expect.objectContaining({ code: 'PKI_ALGORITHM_NOT_ALLOWED' })
      );
    }
    expect(() => parseSignatureAlgorithm(new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsassaPss }))).toThrow(
      /SHA-1 defaults/
    );
  });

  it('ECDSA raw r||s ↔ DER, incl. high-bit and leading-zero integers', () => {
    const raw = new Uint8Array(64);
    raw[0] = 0x80; // r needs a 0x00 sign byte
    raw[32] = 0x00;
    raw[33] = 0x01; // s has leading zeros to strip
    const der = ecdsaRawToDer(raw, 'P-256');
    expect(der[0]).toBe(0x30);
    expect(ecdsaDerToRaw(der, 'P-256')).toEqual(raw);
    expect(der.length).toBeLessThanOrEqual(maxSignatureLength({ name: 'ECDSA', namedCurve: 'P-256' }));
    expect(() => ecdsaDerToRaw(new Uint8Array([1, 2, 3]), 'P-256')).toThrow(
      expect.objectContaining({ code: 'PKI_MALFORMED' })
    );
  });

  it('keys: RSA < 2048 is weak, P-521 not allowed', async () => {
    const rsa = (await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign']
    )) as CryptoKeyPair;
    const spki = parsePkijs(
      new Uint8Array(await crypto.subtle.exportKey('spki', rsa.publicKey)),
      pkijs.PublicKeyInfo,
      'spki'
    );
    expect(() => schemeFromPublicKey(spki)).toThrow(expect.objectContaining({ code: 'PKI_WEAK_KEY' }));
    const ec = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-521' }, true, [
      'sign'
    ])) as CryptoKeyPair;
    const ecSpki = parsePkijs(
      new Uint8Array(await crypto.subtle.exportKey('spki', ec.publicKey)),
      pkijs.PublicKeyInfo,
      'spki'
    );
    expect(() => schemeFromPublicKey(ecSpki)).toThrow(expect.objectContaining({ code: 'PKI_ALGORITHM_NOT_ALLOWED' }));
  });
});
