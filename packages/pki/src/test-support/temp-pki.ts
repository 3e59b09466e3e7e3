// TEMPORARY test PKI (until packages/pki/src/testing lands): certificates made with @peculiar/x509.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export type KeyKind = 'rsa' | 'rsa-pss' | 'p256' | 'p384';
const crypto = globalThis.crypto;

export function keyParams(kind: KeyKind): RsaHashedKeyGenParams | EcKeyGenParams {
  switch (kind) {
    case 'rsa':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256'
      };
    case 'rsa-pss':
      return { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
    case 'p256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'p384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
  }
}

export interface Issued {
  der: Uint8Array<ArrayBuffer>;
  keys: CryptoKeyPair;
  cert: x509.X509Certificate;
}

const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
const NOT_AFTER = new Date('2035-01-01T00:00:00Z');

export async function makeRoot(name = 'CN=Temp Root CA,O=Inkan Test', kind: KeyKind = 'rsa'): Promise<Issued> {
  const keys = (await crypto.subtle.generateKey(keyParams(kind), true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '01',
      name,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      keys,
      signingAlgorithm: kind.startsWith('p') ? { name: 'ECDSA', hash: 'SHA-256' } : keyParams(kind),
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto)
      ]
    },
    crypto
  );
  return { der: new Uint8Array(cert.rawData), keys, cert };
}

export interface IssueOptions {
  kind?: KeyKind;
  serial?: string;
  ca?: boolean;
  eku?: string[];
  ekuCritical?: boolean;
  keyUsage?: number;
  notBefore?: Date;
  notAfter?: Date;
  crl?: string[];
  ocsp?: string[];
  caIssuers?: string[];
}

export async function issue(issuer: Issued, name: string, o: IssueOptions = {}): Promise<Issued> {
  const kind = o.kind ?? 'rsa';
  const keys = (await crypto.subtle.generateKey(keyParams(kind), true, ['sign', 'verify'])) as CryptoKeyPair;
  const exts: x509.Extension[] = [
    new x509.BasicConstraintsExtension(o.ca === true, undefined, true),
    new x509.KeyUsagesExtension(
      o.keyUsage ??
        (o.ca
          ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
          : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation),
      true
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
    await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey, false, crypto)
  ];
  if (o.eku) exts.push(new x509.ExtendedKeyUsageExtension(o.eku, o.ekuCritical ?? true));
  if (o.crl) exts.push(new x509.CRLDistributionPointsExtension(o.crl));
  if (o.ocsp || o.caIssuers) exts.push(new x509.AuthorityInfoAccessExtension({ ocsp: o.ocsp, caIssuers: o.caIssuers }));
  const alg = issuer.keys.privateKey.algorithm.name;
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: o.serial ?? '1234',
      subject: name,
      issuer: issuer.cert.subject,
      notBefore: o.notBefore ?? NOT_BEFORE,
      notAfter: o.notAfter ?? NOT_AFTER,
      publicKey: keys.publicKey,
      signingKey: issuer.keys.privateKey,
      signingAlgorithm:
        alg === 'ECDSA'
          ? { name: 'ECDSA', hash: 'SHA-256' }
          : ({ name: alg, hash: 'SHA-256', saltLength: 32 } as Algorithm),
      extensions: exts
    },
    crypto
  );
  return { der: new Uint8Array(cert.rawData), keys, cert };
}
