import { fromBase64, toPem, type Bytes } from '../bytes.ts';
import { createPkcs8Signer } from '../signers/cryptokey.ts';
import type { Signer } from '../signer.ts';
import { issueCertificate, type CertificateProfile, type IssuerUrls } from '../authority/certificate.ts';
import { buildCrl } from '../authority/crl.ts';
import type { DistinguishedName } from '../authority/der.ts';
import { importPkcs8Authority, type AuthorityKey } from '../authority/key.ts';
import { respondOcsp } from '../authority/ocsp.ts';
import { readTimeStampRequest, rejectTimeStamp, TimeStampIssuer, TimeStampRejection } from '../authority/timestamp.ts';
import { testKeys } from './keys.ts';

/** Every test certificate is valid from 2025-01-01 to 2035-01-01 (fixed, so runs build identical bytes). */
export const TEST_VALIDITY = {
  notBefore: new Date('2025-01-01T00:00:00Z'),
  notAfter: new Date('2035-01-01T00:00:00Z')
};
/** The frozen "now" of tests that do not choose their own. */
export const TEST_NOW = new Date('2026-06-01T00:00:00Z');
/** When the revoked signer was revoked (keyCompromise). */
export const TEST_REVOKED_AT = new Date('2026-01-01T00:00:00Z');
/** TSA policy OID of the in-process TSA (a private arc used only by tests). */
export const TEST_TSA_POLICY = '1.3.6.1.4.1.55555.1.1';
/** URLs written into the test certificates; {@link TestPki.fetch} and `serveTestPki` answer them. */
export const TEST_URLS = {
  base: 'http://pki.inkan.test',
  ocsp: 'http://pki.inkan.test/ocsp',
  caIssuers: 'http://pki.inkan.test/ca.crt',
  crl: 'http://pki.inkan.test/ca.crl',
  tsa: 'http://pki.inkan.test/tsa',
  root: 'http://pki.inkan.test/root.crt'
} as const;

/** A key with its certificate. `chain` = issuing CA then root (empty for the root). */
export interface TestIdentity {
  readonly name: DistinguishedName;
  readonly serialNumber: bigint;
  readonly certificate: Bytes;
  readonly chain: readonly Bytes[];
  /** PKCS#8 DER of the private key (test material, public). */
  readonly pkcs8: Bytes;
  readonly key: AuthorityKey;
  /** A {@link Signer} for CMS / PAdES signing with this identity. */
  signer(): Promise<Signer>;
}

export interface TestPki {
  root: TestIdentity;
  ca: TestIdentity;
  signers: {
    p256: TestIdentity;
    rsa: TestIdentity;
    /** RSA-2048 key certified as rsaEncryption, signing with RSASSA-PSS. */
    pss: TestIdentity;
    p384: TestIdentity;
    /** keyUsage digitalSignature only (no nonRepudiation). */
    digitalSignatureOnly: TestIdentity;
    /** Revoked at {@link TEST_REVOKED_AT}, reason keyCompromise (in the CRL and the OCSP responder). */
    revoked: TestIdentity;
  };
  tsa: TestIdentity;
  ocsp: TestIdentity;
  /** The issuing CA's CRL (number 1, thisUpdate = TEST_REVOKED_AT, nextUpdate = notAfter). */
  crl: Bytes;
  /** Root certificate as PEM, for judges (`openssl -CAfile`, NSS db). */
  rootPem: string;
  /** Issuing CA + root as PEM. */
  chainPem: string;
  /** In-process RFC 3161 TSA: TimeStampReq DER → TimeStampResp DER (genTime from the clock). */
  timestamp(request: Uint8Array): Promise<Bytes>;
  /** In-process OCSP responder: OCSPRequest DER → OCSPResponse DER. */
  ocspRespond(request: Uint8Array): Promise<Bytes>;
  /** A `fetch` that answers {@link TEST_URLS} in-process (TSA, OCSP POST/GET, CRL, CA certificates). */
  fetch: typeof fetch;
}

const name = (commonName: string, email?: string): DistinguishedName => ({
  country: 'JP',
  organization: 'Inkan Test PKI',
  commonName,
  ...(email && { email })
});
const URLS: IssuerUrls = { ocsp: TEST_URLS.ocsp, caIssuers: TEST_URLS.caIssuers, crl: TEST_URLS.crl };

export interface TestPkiOptions {
  /** Clock of the in-process TSA and OCSP responder (default: frozen at {@link TEST_NOW}). */
  clock?: () => Date;
}

/**
 * The deterministic test PKI: root → issuing CA (RSA-2048, PKCS#1 v1.5, so the same bytes every run) →
 * signers (ECDSA P-256, RSA-2048, RSA-PSS, P-384, digitalSignature-only, revoked), a TSA certificate and a
 * delegated OCSP responder; fixed keys ({@link testKeys}), serials and validity. Building takes a few ms.
 *
 * @example
 * const pki = await createTestPki();
 * const signer = await pki.signers.p256.signer();
 * const reply = await pki.timestamp(timeStampReqDer);
 */
export async function createTestPki(opts: TestPkiOptions = {}): Promise<TestPki> {
  const clock = opts.clock ?? (() => TEST_NOW);
  const { notBefore, notAfter } = TEST_VALIDITY;

  const make = async (
    pkcs8B64: string,
    n: DistinguishedName,
    serialNumber: bigint,
    profile: CertificateProfile,
    issuer: TestIdentity | undefined,
    pss = false
  ): Promise<TestIdentity> => {
    const pkcs8 = fromBase64(pkcs8B64);
    const key = await importPkcs8Authority(pkcs8, { pss });
    const certificate = await issueCertificate({
      subject: n,
      subjectPublicKey: key.spki,
      serialNumber,
      notBefore,
      notAfter,
      issuer: issuer ? { certificate: issuer.certificate, key: issuer.key } : { key },
      profile
    });
    const chain = issuer ? [issuer.certificate, ...issuer.chain] : [];
    return {
      name: n,
      serialNumber,
      certificate,
      chain,
      pkcs8,
      key,
      signer: () => createPkcs8Signer({ pkcs8, certificate, chain, pss })
    };
  };

  const root = await make(testKeys.root, name('Inkan Test Root CA'), 1n, { kind: 'root' }, undefined);
  const ca = await make(testKeys.ca, name('Inkan Test Issuing CA'), 2n, { kind: 'ca', pathLength: 0, urls: {} }, root);
  const signer = (
    key: string,
    cn: string,
    email: string,
    serial: bigint,
    extra: { digitalSignatureOnly?: boolean } = {},
    pss = false
  ) => make(key, name(cn, email), serial, { kind: 'signer', urls: URLS, email, ...extra }, ca, pss);
  const signers = {
    p256: await signer(testKeys.signerP256, 'Test Signer P-256', 'p256@signer.inkan.test', 0x1001n),
    rsa: await signer(testKeys.signerRsa, 'Test Signer RSA', 'rsa@signer.inkan.test', 0x1002n),
    pss: await signer(testKeys.signerPss, 'Test Signer RSA-PSS', 'pss@signer.inkan.test', 0x1003n, {}, true),
    p384: await signer(testKeys.signerP384, 'Test Signer P-384', 'p384@signer.inkan.test', 0x1004n),
    digitalSignatureOnly: await signer(testKeys.signerDs, 'Test Signer DS only', 'ds@signer.inkan.test', 0x1005n, {
      digitalSignatureOnly: true
    }),
    revoked: await signer(testKeys.signerRevoked, 'Test Signer Revoked', 'revoked@signer.inkan.test', 0x1006n)
  };
  const tsa = await make(testKeys.tsa, name('Inkan Test TSA'), 0x2001n, { kind: 'tsa', urls: URLS }, ca);
  const ocsp = await make(testKeys.ocsp, name('Inkan Test OCSP Responder'), 0x2002n, { kind: 'ocsp' }, ca);

  const revoked = [
    { serialNumber: signers.revoked.serialNumber, revokedAt: TEST_REVOKED_AT, reason: 'keyCompromise' as const }
  ];
  const crl = await buildCrl({
    issuer: { certificate: ca.certificate, key: ca.key },
    thisUpdate: TEST_REVOKED_AT,
    nextUpdate: notAfter,
    crlNumber: 1n,
    revoked
  });
  const issued = new Set([ca, ...Object.values(signers), tsa, ocsp].map((i) => i.serialNumber));

  let tsaSerial = 0n;
  let issuer: Promise<TimeStampIssuer> | undefined;
  const timestamp = async (request: Uint8Array): Promise<Bytes> => {
    try {
      const req = readTimeStampRequest(request, { policies: [TEST_TSA_POLICY] });
      issuer ??= TimeStampIssuer.create({
        tsa: { certificate: tsa.certificate, key: tsa.key, chain: [...tsa.chain] },
        policy: TEST_TSA_POLICY,
        accuracy: { seconds: 1 }
      });
      return (await (await issuer).issue(req, ++tsaSerial, clock())).response;
    } catch (e) {
      if (e instanceof TimeStampRejection) return rejectTimeStamp(e.failInfo, e.message);
      throw e;
    }
  };
  const ocspRespond = (request: Uint8Array) =>
    respondOcsp(request.slice(), {
      issuer: ca.certificate,
      responder: { certificate: ocsp.certificate, key: ocsp.key },
      now: clock(),
      lookup: (serial) => {
        const r = revoked.find((x) => x.serialNumber === serial);
        if (r) return { status: 'revoked', revokedAt: r.revokedAt, reason: r.reason };
        return issued.has(serial) ? { status: 'good' } : { status: 'unknown' };
      }
    });

  const pki: TestPki = {
    root,
    ca,
    signers,
    tsa,
    ocsp,
    crl,
    rootPem: toPem(root.certificate, 'CERTIFICATE'),
    chainPem: toPem(ca.certificate, 'CERTIFICATE') + toPem(root.certificate, 'CERTIFICATE'),
    timestamp,
    ocspRespond,
    fetch: async () => new Response(null, { status: 500 })
  };
  pki.fetch = (input, init) => testPkiHandler(pki)(new Request(input, init));
  return pki;
}

/**
 * The HTTP face of the test PKI, by path: `POST /tsa`, `POST /ocsp` and `GET /ocsp/{base64}`, `GET /ca.crl`,
 * `GET /ca.crt`, `GET /root.crt`. Used by {@link TestPki.fetch} and by `serveTestPki`.
 */
export function testPkiHandler(pki: TestPki): (req: Request) => Promise<Response> {
  const der = (body: Uint8Array, type: string) =>
    new Response(body.slice(), {
      status: 200,
      headers: { 'content-type': type, 'content-length': String(body.length) }
    });
  return async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === 'POST' && path === '/tsa')
      return der(await pki.timestamp(new Uint8Array(await req.arrayBuffer())), 'application/timestamp-reply');
    if (req.method === 'POST' && path === '/ocsp')
      return der(await pki.ocspRespond(new Uint8Array(await req.arrayBuffer())), 'application/ocsp-response');
    if (req.method === 'GET' && path.startsWith('/ocsp/'))
      return der(await pki.ocspRespond(fromBase64(decodeURIComponent(path.slice(6)))), 'application/ocsp-response');
    if (req.method === 'GET' && path === '/ca.crl') return der(pki.crl, 'application/pkix-crl');
    if (req.method === 'GET' && path === '/ca.crt') return der(pki.ca.certificate, 'application/pkix-cert');
    if (req.method === 'GET' && path === '/root.crt') return der(pki.root.certificate, 'application/pkix-cert');
    return new Response('not found', { status: 404 });
  };
}

let shared: Promise<TestPki> | undefined;
/** The default test PKI, built once per process (frozen clock). */
export function sharedTestPki(): Promise<TestPki> {
  return (shared ??= createTestPki());
}

/** A clock frozen at `at` that tests move explicitly. Call it to read the time. */
export interface FrozenClock {
  (): Date;
  set(d: Date): void;
  advance(ms: number): void;
}
export function frozenClock(at: Date = TEST_NOW): FrozenClock {
  let t = at.getTime();
  const clock = (() => new Date(t)) as FrozenClock;
  clock.set = (d) => void (t = d.getTime());
  clock.advance = (ms) => void (t += ms);
  return clock;
}
