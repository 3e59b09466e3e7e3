import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PkiError, assertArg } from '../errors.ts';
import { digest, digestFromOid, type DigestAlgorithm } from '../algorithms.ts';
import { bytes, equalBytes, isBytes, toHex } from '../bytes.ts';
import { parsePkijs } from '../der.ts';
import { OID } from '../oids.ts';
import { inspectSignedData, type SignerInfoFacts } from '../cms/inspect.ts';
import { describeCertificate } from '../x509/certificate.ts';
import { validatePath, type PathValidation } from '../x509/path.ts';

/**
 * The facts of an RFC 3161 time-stamp token (RFC 3161 §2.4.2):
 * ```asn1
 * TSTInfo ::= SEQUENCE {
 *   version INTEGER { v1(1) }, policy TSAPolicyId, messageImprint MessageImprint,
 *   serialNumber INTEGER, genTime GeneralizedTime, accuracy Accuracy OPTIONAL,
 *   ordering BOOLEAN DEFAULT FALSE, nonce INTEGER OPTIONAL,
 *   tsa [0] GeneralName OPTIONAL, extensions [1] IMPLICIT Extensions OPTIONAL }
 * Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL,
 *                         micros [1] INTEGER (1..999) OPTIONAL }
 * ```
 */
export interface TimestampToken {
  /** The token: a ContentInfo(SignedData) whose eContent is the TSTInfo. */
  readonly der: Uint8Array;
  readonly genTime: Date;
  /** Serial number, lowercase hex. */
  readonly serialNumber: string;
  readonly policy: string;
  /** The TSA's GeneralName, readable (directoryName as RFC 4514), if given. */
  readonly tsaName?: string;
  readonly accuracy?: { readonly seconds: number; readonly millis: number; readonly micros: number };
  readonly ordering: boolean;
  /** Nonce, lowercase hex, if present. */
  readonly nonce?: string;
  readonly imprintAlgorithmOid: string;
  /** The imprint algorithm if it is on the allow-list. */
  readonly imprintAlgorithm?: DigestAlgorithm;
  readonly imprint: Uint8Array;
}

function intHex(i: asn1js.Integer): string {
  let h = toHex(bytes(i.valueBlock.valueHexView));
  while (h.length > 2 && h.startsWith('00')) h = h.slice(2);
  return h;
}

function generalNameText(gn: pkijs.GeneralName | undefined): string | undefined {
  if (!gn) return undefined;
  if (gn.type === 4 && gn.value instanceof pkijs.RelativeDistinguishedNames) {
    return gn.value.typesAndValues
      .map((tv) => `${tv.type}=${(tv.value as { valueBlock: { value: string } }).valueBlock.value}`)
      .join(', ');
  }
  return typeof gn.value === 'string' ? gn.value : undefined;
}

/** Read the TSTInfo of a token (no verification). `PKI_MALFORMED` if it is not a time-stamp token. */
export function readTstInfo(
  tokenDer: Uint8Array,
  facts: Pick<SignerInfoFacts, 'contentType' | 'encapsulatedContent'>
): TimestampToken {
  if (facts.contentType !== OID.tstInfo || !facts.encapsulatedContent) {
    throw new PkiError('PKI_MALFORMED', 'not a time-stamp token (eContentType is not id-ct-TSTInfo)');
  }
  const tst = parsePkijs(facts.encapsulatedContent, pkijs.TSTInfo, 'TSTInfo');
  let imprintAlgorithm: DigestAlgorithm | undefined;
  try {
    imprintAlgorithm = digestFromOid(tst.messageImprint.hashAlgorithm.algorithmId);
  } catch {
    imprintAlgorithm = undefined;
  }
  return {
    der: tokenDer,
    genTime: tst.genTime,
    serialNumber: intHex(tst.serialNumber),
    policy: tst.policy,
    tsaName: generalNameText(tst.tsa),
    accuracy: tst.accuracy
      ? { seconds: tst.accuracy.seconds ?? 0, millis: tst.accuracy.millis ?? 0, micros: tst.accuracy.micros ?? 0 }
      : undefined,
    ordering: tst.ordering ?? false,
    nonce: tst.nonce ? intHex(tst.nonce) : undefined,
    imprintAlgorithmOid: tst.messageImprint.hashAlgorithm.algorithmId,
    imprintAlgorithm,
    imprint: bytes(tst.messageImprint.hashedMessage.valueBlock.valueHexView).slice()
  };
}

/** What was time-stamped: the data itself (hashed with the token's imprint algorithm) or a known digest. */
export type Imprinted = { readonly data: Uint8Array } | { readonly digest: Uint8Array; readonly hash: DigestAlgorithm };

export interface TimestampVerification {
  readonly token: TimestampToken;
  /** The token's CMS facts (signature, ESS signing-certificate, certificates). */
  readonly cms: SignerInfoFacts;
  /** messageImprint equals the digest of the imprinted data (undefined when nothing to compare was given). */
  readonly imprintMatches?: boolean;
  /** CMS signature valid, message-digest = hash(TSTInfo), ESS signing-certificate(-v2) present and naming the TSA certificate (RFC 3161 §2.4.1, RFC 5816). */
  readonly signatureValid: boolean;
  readonly tsaCertificate?: Uint8Array;
  /** TSA certificate has exactly id-kp-timeStamping as a critical EKU (RFC 3161 §2.3). */
  readonly tsaCertificateValid: boolean;
  /** When anchors were given: the TSA certificate validates at genTime (chain, constraints, validity; not revocation). */
  readonly chainsToAnchor?: boolean;
  /** The path validation behind `chainsToAnchor` (revocation skipped). */
  readonly tsaPath?: PathValidation;
  readonly chain?: readonly Uint8Array[];
  readonly problems: readonly string[];
}

export interface VerifyTimestampOptions {
  readonly imprinted?: Imprinted;
  readonly anchors?: readonly Uint8Array[];
  readonly extraCertificates?: readonly Uint8Array[];
  readonly crypto?: Crypto;
}

/** RFC 3161 §2.3: the TSA certificate's EKU is critical and only id-kp-timeStamping. */
export function isTsaCertificate(der: Uint8Array): boolean {
  const info = describeCertificate(der);
  return (
    info.extendedKeyUsageCritical &&
    info.extendedKeyUsage.length === 1 &&
    info.extendedKeyUsage[0] === OID.kpTimeStamping
  );
}

/**
 * Verify a time-stamp token (RFC 3161 §2.4.2): parse, check the CMS signature and message-digest over the
 * TSTInfo, the ESS signing-certificate, the TSA certificate's EKU, the imprint against `imprinted`, and —
 * when `anchors` are given — that the TSA certificate chains to one of them. Reports facts, never throws
 * on a bad token; throws `PKI_MALFORMED` when it is not a token at all.
 */
export async function verifyTimestampToken(
  tokenDer: Uint8Array,
  opts: VerifyTimestampOptions = {}
): Promise<TimestampVerification> {
  assertArg(isBytes(tokenDer), 'token must be DER bytes');
  const cms = await inspectSignedData(tokenDer, { extraCertificates: opts.extraCertificates, crypto: opts.crypto });
  const token = readTstInfo(tokenDer, cms);
  const problems = [...cms.problems];
  let imprintMatches: boolean | undefined;
  const im = opts.imprinted;
  if (im) {
    if ('data' in im) {
      imprintMatches = token.imprintAlgorithm
        ? equalBytes(await digest(token.imprintAlgorithm, im.data, opts.crypto), token.imprint)
        : false;
    } else {
      imprintMatches = token.imprintAlgorithm === im.hash && equalBytes(im.digest, token.imprint);
    }
    if (!token.imprintAlgorithm) problems.push(`imprint algorithm ${token.imprintAlgorithmOid} is not allowed`);
    else if (!imprintMatches) problems.push('message imprint does not match the time-stamped data');
  }
  const signatureValid =
    cms.signatureValid &&
    cms.intact &&
    cms.contentTypeAttributeMatches &&
    cms.signingCertificateMatches === true &&
    !cms.cryptoProblem;
  if (cms.cryptoProblem) problems.push(cms.cryptoProblem);
  if (cms.signingCertificateAttribute === 'none') problems.push('token has no ESS signing-certificate attribute');
  const tsaCertificate = cms.signerCertificate;
  const tsaCertificateValid = tsaCertificate ? isTsaCertificate(tsaCertificate) : false;
  if (tsaCertificate && !tsaCertificateValid)
    problems.push('TSA certificate lacks a critical, sole id-kp-timeStamping EKU');
  let chainsToAnchor: boolean | undefined;
  let chain: Uint8Array[] | undefined;
  let tsaPath: PathValidation | undefined;
  if (opts.anchors && tsaCertificate) {
    // Chain, constraints and validity at genTime; revocation is the validator's call (it has the DSS).
    tsaPath = await validatePath(tsaCertificate, {
      anchors: opts.anchors,
      intermediates: [...cms.certificates, ...(opts.extraCertificates ?? [])],
      at: token.genTime,
      revocation: 'skip',
      crypto: opts.crypto
    });
    chainsToAnchor = tsaPath.indication === 'PASSED';
    chain = tsaPath.chain.length ? [...tsaPath.chain] : undefined;
    if (!chainsToAnchor)
      problems.push(`TSA certificate path: ${tsaPath.subIndication} (${tsaPath.problems.join('; ')})`);
  }
  return {
    token,
    cms,
    imprintMatches,
    signatureValid,
    tsaCertificate,
    tsaCertificateValid,
    chainsToAnchor,
    chain,
    tsaPath,
    problems
  };
}
