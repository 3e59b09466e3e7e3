import {
  digest,
  inspectSignedData,
  OID,
  verifyTimestampToken,
  type DigestAlgorithm,
  type SignerInfoFacts
} from '@inkan/pki';
import { signedBytes, type PdfFile, type SignatureInfo } from '@inkan/pdf';
import { certificateFacts } from './certificates.ts';
import { checkCoverage } from './coverage.ts';
import { parsePdfDate } from './pdf-date.ts';
import type { CertificateInfo, SignatureFacts, TimestampFacts } from './report.ts';
import { signatureMdp } from './mdp.ts';

/** What every signature of one document is checked against. */
export interface SignatureContext {
  bytes: Uint8Array;
  file: PdfFile;
  revisionEnds: readonly (readonly [number, number])[];
  trustAnchors: readonly Uint8Array[];
  /** Certificates found outside the CMS (DSS, caller's extras). */
  extraCertificates: readonly Uint8Array[];
  validationTime: Date;
  crypto?: Crypto;
  /** Digest of the signed ranges (injected: Node's CLI streams with node:crypto, browsers use WebCrypto). */
  digestRanges: RangeDigest;
}

/** SHA-2 digest of byte ranges in order, as if concatenated. */
export type RangeDigest = (hash: DigestAlgorithm, parts: readonly Uint8Array[]) => Promise<Uint8Array>;

/** Default {@link RangeDigest}: WebCrypto, one shot over the concatenated ranges (works everywhere). */
export function webCryptoRangeDigest(crypto?: Crypto): RangeDigest {
  return (hash, parts) => digest(hash, concat(parts), crypto);
}

/**
 * Establishes the facts of one signature or document timestamp: coverage of its /ByteRange, the CMS
 * (digest intact, signature value valid — signed attributes hashed as encoded), signer certificate,
 * signature timestamp, chain to the trust anchors, key usage, algorithms. Never throws for a hostile
 * signature: whatever cannot be read becomes a false fact and a format problem.
 */
export async function signatureFacts(sig: SignatureInfo, ctx: SignatureContext): Promise<SignatureFacts> {
  const { bytes, file } = ctx;
  const byteRange = sig.byteRange.every((n) => Number.isFinite(n)) && sig.byteRange.length > 0 ? sig.byteRange : null;
  const coverage = checkCoverage({
    byteRange,
    contents: sig.contents && sig.offsetsInFile ? { start: sig.contents.start, end: sig.contents.end } : null,
    fileSize: bytes.length,
    revisionEnds: ctx.revisionEnds
  });
  const type = sig.type === 'DocTimeStamp' || sig.subFilter === 'ETSI.RFC3161' ? 'docTimeStamp' : 'signature';
  const mdp = signatureMdp(file, sig);
  const m = sig.dict.get('M');
  const facts: SignatureFacts = {
    fieldNames: sig.fieldNames,
    type,
    subFilter: sig.subFilter ?? null,
    revision: coverage.revision ?? sig.revision ?? file.revisions.length - 1,
    coverage,
    formatOk: true,
    formatProblems: [],
    signer: null,
    claimedTime: m?.kind === 'string' ? parsePdfDate(m.text()) : null,
    provenTime: null,
    intact: false,
    signatureValid: false,
    trusted: false,
    chainSubIndication: null,
    revocation: 'unknown',
    revokedAt: null,
    keyUsageOk: false,
    algorithmsOk: true,
    algorithms: { digest: null, signature: null },
    timestamp: null,
    certificateTimeProblem: null,
    docMdp: mdp.docMdp,
    fieldMdp: mdp.fieldMdp,
    level: null,
    modifications: []
  };
  const problem = (p: string) => {
    facts.formatOk = false;
    facts.formatProblems.push(p);
  };
  if (!sig.contents || sig.contents.bytes.length === 0) {
    problem('CONTENTS_MISSING');
    return facts;
  }
  if (sig.contents.bytes.every((b) => b === 0)) {
    problem('CONTENTS_EMPTY');
    return facts;
  }
  const ranges = usableRanges(bytes, byteRange);
  if (!ranges) problem('BYTE_RANGE_UNUSABLE');
  const signed = ranges ?? [];

  if (type === 'docTimeStamp') {
    await docTimestampFacts(sig.contents.bytes, signed, facts, ctx, problem);
  } else {
    // adbe.pkcs7.sha1 signs a SHA-1 digest: refused. A third-party SubFilter (e.g. ICP-Brasil's PBAD.PAdES)
    // is checked as a detached CMS like the standard ones; it simply reaches no PAdES level.
    if (sig.subFilter === 'adbe.pkcs7.sha1') facts.algorithmsOk = false;
    else if (sig.subFilter === 'adbe.x509.rsa_sha1') problem('SUBFILTER_UNSUPPORTED:adbe.x509.rsa_sha1');
    await cmsFacts(sig.contents.bytes, signed, facts, ctx, problem);
  }
  return facts;
}

async function cmsFacts(
  cms: Uint8Array,
  signed: readonly Uint8Array[],
  facts: SignatureFacts,
  ctx: SignatureContext,
  problem: (p: string) => void
): Promise<void> {
  const cache = new Map<string, Promise<Uint8Array>>();
  const contentDigest = (hash: DigestAlgorithm) => {
    let d = cache.get(hash);
    if (!d) cache.set(hash, (d = ctx.digestRanges(hash, signed)));
    return d;
  };
  let info: SignerInfoFacts;
  try {
    info = await inspectSignedData(cms, {
      contentDigest,
      // Only read when the SignerInfo has no signed attributes: the signature then covers the bytes directly.
      content: () => concat(signed),
      extraCertificates: ctx.extraCertificates,
      crypto: ctx.crypto
    });
  } catch (e) {
    problem(`CMS_UNREADABLE:${(e as { code?: string }).code ?? 'ERROR'}`);
    return;
  }
  if (info.encapsulatedContent !== undefined) problem('DETACHED_WITH_ECONTENT');
  if (info.contentType !== OID.data) problem('CONTENT_TYPE_NOT_DATA');
  facts.intact = info.intact && info.encapsulatedContent === undefined;
  // RFC 5652 §5.3: content-type is mandatory only when there are signed attributes.
  const contentTypeOk = info.signedAttributeTypes.length === 0 || info.contentTypeAttributeMatches;
  facts.signatureValid = info.signatureValid && contentTypeOk;
  facts.algorithms = {
    digest: info.digestAlgorithm ?? info.digestAlgorithmOid,
    signature: info.signatureAlgorithm?.name ?? info.signatureAlgorithmOid
  };
  if (info.cryptoProblem) facts.algorithmsOk = false;
  if (!facts.claimedTime && info.signingTime) facts.claimedTime = info.signingTime.toISOString();
  const signerDer = info.signingCertificateMatches === false ? undefined : info.signerCertificate;
  if (signerDer) {
    facts.signer = certificateInfo(signerDer);
    facts.keyUsageOk = keyUsageOk(signerDer);
  }

  // Signature timestamp (ETSI EN 319 122-1 §5.3): imprint over the SignerInfo's signature value.
  const tst = info.unsignedAttributes.find((a) => a.type === OID.signatureTimeStampToken);
  if (tst?.values[0]) {
    facts.timestamp = await timestampFacts(tst.values[0], { data: info.signatureValue }, ctx);
    if (facts.timestamp.valid) facts.provenTime = facts.timestamp.time;
  }
  if (signerDer) {
    // Adobe's adbe-revocationInfoArchival signed attribute carries revocation data as of signing.
    const archived = info.archivedRevocation;
    trustInputs.set(facts, {
      certificate: signerDer,
      pool: info.certificates,
      crls: [...info.crls, ...(archived?.crls ?? [])],
      ocsps: archived?.ocsps ?? []
    });
  }
}

async function docTimestampFacts(
  token: Uint8Array,
  signed: readonly Uint8Array[],
  facts: SignatureFacts,
  ctx: SignatureContext,
  problem: (p: string) => void
): Promise<void> {
  let v;
  try {
    // Hash once with SHA-256 (what every TSA uses); re-check with the token's own algorithm if it differs.
    const verify = async (hash: DigestAlgorithm) =>
      verifyTimestampToken(token, {
        imprinted: { digest: await ctx.digestRanges(hash, signed), hash },
        anchors: ctx.trustAnchors,
        extraCertificates: ctx.extraCertificates,
        crypto: ctx.crypto
      });
    v = await verify('SHA-256');
    const alg = v.token.imprintAlgorithm;
    if (alg && alg !== 'SHA-256') v = await verify(alg);
  } catch (e) {
    problem(`TIMESTAMP_UNREADABLE:${(e as { code?: string }).code ?? 'ERROR'}`);
    return;
  }
  facts.intact = v.imprintMatches === true && v.cms.intact;
  facts.signatureValid = v.signatureValid;
  facts.algorithms = {
    // The refused one when the token's own CMS uses a refused digest (its intact fact is then unknown).
    digest: v.cms.cryptoProblem
      ? (v.cms.digestAlgorithm ?? v.cms.digestAlgorithmOid)
      : (v.token.imprintAlgorithm ?? v.token.imprintAlgorithmOid),
    signature: v.cms.signatureAlgorithm?.name ?? v.cms.signatureAlgorithmOid
  };
  if (v.cms.cryptoProblem || !v.token.imprintAlgorithm) facts.algorithmsOk = false;
  const time = v.token.genTime.toISOString();
  facts.timestamp = {
    time,
    tsa: tsaName(v.tsaCertificate, v.token.tsaName),
    valid: v.signatureValid && facts.intact,
    trusted: !!v.chainsToAnchor
  };
  facts.claimedTime = facts.claimedTime ?? time;
  facts.provenTime = facts.timestamp.valid ? time : null;
  if (v.tsaCertificate) {
    facts.signer = certificateInfo(v.tsaCertificate);
    facts.keyUsageOk = v.tsaCertificateValid;
    trustInputs.set(facts, { certificate: v.tsaCertificate, pool: v.cms.certificates, crls: v.cms.crls, ocsps: [] });
  }
}

/** RFC 3161 token time-stamping `imprinted`: genTime, TSA, validity and trust. */
export async function timestampFacts(
  token: Uint8Array,
  imprinted: { data: Uint8Array },
  ctx: SignatureContext
): Promise<TimestampFacts> {
  try {
    const v = await verifyTimestampToken(token, {
      imprinted,
      anchors: ctx.trustAnchors,
      extraCertificates: ctx.extraCertificates,
      crypto: ctx.crypto
    });
    return {
      time: v.token.genTime.toISOString(),
      tsa: tsaName(v.tsaCertificate, v.token.tsaName),
      valid: v.signatureValid && v.imprintMatches === true,
      trusted: !!v.chainsToAnchor,
      algorithmRefused: v.imprintMatches === true && !!v.cms.cryptoProblem
    };
  } catch {
    return { time: null, tsa: null, valid: false, trusted: false };
  }
}

/** What path validation needs for one signature, kept until the proof of existence is known. */
export interface TrustInput {
  certificate: Uint8Array;
  pool: readonly Uint8Array[];
  crls: readonly Uint8Array[];
  ocsps: readonly Uint8Array[];
}

const trustInputs = new WeakMap<SignatureFacts, TrustInput>();

/** The signer (or TSA) certificate and the certificates/CRLs found with it, for {@link establishTrust}. */
export function trustInputOf(facts: SignatureFacts): TrustInput | undefined {
  return trustInputs.get(facts);
}

function certificateInfo(der: Uint8Array): CertificateInfo | null {
  const c = certificateFacts(der);
  if (!c) return null;
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    commonName: c.commonName
  };
}

/** RFC 5280 §4.2.1.3: a signing certificate needs digitalSignature or nonRepudiation when keyUsage is present. */
function keyUsageOk(der: Uint8Array): boolean {
  const c = certificateFacts(der);
  return (
    !!c && (c.keyUsage.length === 0 || c.keyUsage.includes('digitalSignature') || c.keyUsage.includes('nonRepudiation'))
  );
}

function tsaName(cert: Uint8Array | undefined, fallback: string | undefined): string | null {
  return (cert && certificateFacts(cert)?.subject) || (fallback ?? null);
}

function usableRanges(bytes: Uint8Array, byteRange: number[] | null): Uint8Array[] | null {
  try {
    return byteRange ? signedBytes(bytes, byteRange) : null;
  } catch {
    return null;
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
