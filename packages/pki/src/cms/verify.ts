import { assertArg } from '../errors.ts';
import { digest, type DigestAlgorithm } from '../algorithms.ts';
import { concatBytes, isBytes } from '../bytes.ts';
import { OID } from '../oids.ts';
import { verifyTimestampToken, type TimestampVerification } from '../tsp/token.ts';
import { describeCertificate, type CertificateInfo } from '../x509/certificate.ts';
import { inspectSignedData, type ContentDigestProvider, type SignerInfoFacts } from './inspect.ts';

export interface VerifyCmsOptions {
  /** Detached content as chunks (e.g. the two ByteRange parts), hashed here… */
  readonly content?: readonly Uint8Array[];
  /** …or a digest provider (hash the ByteRange once yourself). */
  readonly contentDigest?: ContentDigestProvider;
  /** Extra certificates to find the signer / TSA in (e.g. from the PDF DSS). */
  readonly extraCertificates?: readonly Uint8Array[];
  /** Trust anchors for the embedded signature-time-stamp tokens' TSA chain check (optional). */
  readonly timestampAnchors?: readonly Uint8Array[];
  readonly crypto?: Crypto;
}

/** Facts about a CMS signature, plus its embedded signature-time-stamps. No verdict, no trust. */
export interface CmsVerification extends SignerInfoFacts {
  /** eContent present: a detached PAdES signature must have none (pyHanko refuses it). */
  readonly hasEncapsulatedContent: boolean;
  readonly signer?: CertificateInfo;
  /** Each id-aa-signatureTimeStampToken, verified against the signature value (RFC 3161 App. A). */
  readonly signatureTimestamps: readonly TimestampVerification[];
}

/**
 * Verify a CMS signature (RFC 5652 §5.4–5.6) given its detached content or content digest: message-digest,
 * the signature over the signed attributes as encoded in the file, content-type, ESS signing-certificate(-v2),
 * and the signature-time-stamps. Never throws on a bad signature (see the fact fields); throws
 * `PKI_MALFORMED` only when the bytes are not a SignedData. Trailing zero padding is tolerated.
 *
 * @example
 * const v = await verifyCms(contentsBytes, { content: [part1, part2] });
 * v.intact && v.signatureValid
 */
export async function verifyCms(cms: Uint8Array, opts: VerifyCmsOptions = {}): Promise<CmsVerification> {
  assertArg(isBytes(cms), 'cms must be bytes');
  assertArg(!(opts.content && opts.contentDigest), 'give content or contentDigest, not both');
  const crypto = opts.crypto;
  let provider = opts.contentDigest;
  if (opts.content) {
    const chunks = opts.content;
    assertArg(chunks.every(isBytes), 'content must be byte chunks');
    provider = async (hash: DigestAlgorithm) => {
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const all = new Uint8Array(total);
      let off = 0;
      for (const c of chunks) {
        all.set(c, off);
        off += c.length;
      }
      return digest(hash, all, crypto);
    };
  }
  const joined = opts.content ? () => concatBytes(...opts.content!) : undefined;
  const facts = await inspectSignedData(cms, {
    contentDigest: provider,
    content: joined,
    extraCertificates: opts.extraCertificates,
    crypto
  });
  let signer: CertificateInfo | undefined;
  try {
    signer = facts.signerCertificate ? describeCertificate(facts.signerCertificate) : undefined;
  } catch {
    signer = undefined;
  }
  const signatureTimestamps: TimestampVerification[] = [];
  const problems = [...facts.problems];
  for (const attr of facts.unsignedAttributes.filter((a) => a.type === OID.signatureTimeStampToken)) {
    for (const token of attr.values) {
      try {
        signatureTimestamps.push(
          await verifyTimestampToken(token, {
            imprinted: { data: facts.signatureValue },
            anchors: opts.timestampAnchors,
            extraCertificates: opts.extraCertificates,
            crypto
          })
        );
      } catch (e) {
        problems.push(`unreadable signature-time-stamp: ${(e as Error).message}`);
      }
    }
  }
  if (facts.encapsulatedContent) problems.push('encapsulated content present in a detached signature');
  return {
    ...facts,
    problems,
    hasEncapsulatedContent: facts.encapsulatedContent !== undefined,
    signer,
    signatureTimestamps
  };
}
