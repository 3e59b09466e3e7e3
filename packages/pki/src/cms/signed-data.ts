import { assertArg, PkiError } from '../errors.ts';
import {
  maxSignatureLength,
  signatureAlgorithmIdentifier,
  isDigestAlgorithm,
  type DigestAlgorithm
} from '../algorithms.ts';
import { concatBytes, isBytes, type Bytes } from '../bytes.ts';
import { certificateFields, encode, oidDer, parseCertificate, tlv } from '../der.ts';
import { OID } from '../oids.ts';
import type { Signer } from '../signer.ts';
import { verifySignature } from '../verify-signature.ts';
import { encodeDigestAlgorithm, prepareSignedAttributes, type PreparedSignedAttributes } from './signed-attributes.ts';

export interface AssembleOptions {
  /** Verify the signature value against the certificate before assembling (default true). */
  readonly verify?: boolean;
  readonly crypto?: Crypto;
}

/**
 * Wrap prepared signed attributes and their signature value into a detached CMS SignedData
 * (RFC 5652 §5.1–5.3), returned as ContentInfo DER. The signed attributes are inserted byte-for-byte
 * (tag 0x31 → [0] IMPLICIT); nothing signed is re-encoded. SignerIdentifier = issuerAndSerialNumber
 * (version 1); certificates = signer + chain.
 *
 * ```asn1
 * SignedData ::= SEQUENCE {
 *   version CMSVersion, digestAlgorithms DigestAlgorithmIdentifiers,
 *   encapContentInfo EncapsulatedContentInfo,
 *   certificates [0] IMPLICIT CertificateSet OPTIONAL,
 *   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
 *   signerInfos SignerInfos }
 * SignerInfo ::= SEQUENCE {
 *   version CMSVersion, sid SignerIdentifier, digestAlgorithm DigestAlgorithmIdentifier,
 *   signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
 *   signatureAlgorithm SignatureAlgorithmIdentifier, signature SignatureValue,
 *   unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
 * ```
 * By default the signature is verified first (a remote signer returning garbage fails closed with
 * `PKI_SIGNING_FAILED`).
 */
export async function assembleSignedData(
  prepared: PreparedSignedAttributes,
  signatureValue: Uint8Array,
  opts: AssembleOptions = {}
): Promise<Bytes> {
  assertArg(prepared && isBytes(prepared.der) && prepared.der[0] === 0x31, 'prepared signed attributes expected');
  assertArg(isDigestAlgorithm(prepared.hash), 'prepared.hash is not allowed');
  assertArg(
    isBytes(signatureValue) &&
      signatureValue.length > 0 &&
      signatureValue.length <= maxSignatureLength(prepared.scheme),
    'signature value has an impossible length'
  );
  const sigAlg = signatureAlgorithmIdentifier(prepared.scheme, prepared.hash);
  if (opts.verify !== false) {
    const cert = parseCertificate(prepared.certificate);
    const check = await verifySignature({
      publicKey: cert.subjectPublicKeyInfo,
      algorithm: sigAlg,
      data: prepared.der,
      signature: signatureValue,
      crypto: opts.crypto
    });
    if (!check.valid)
      throw new PkiError('PKI_SIGNING_FAILED', 'the signature value does not verify with the signer certificate');
  }
  const f = certificateFields(prepared.certificate);
  const version1 = new Uint8Array([0x02, 0x01, 0x01]);
  const digestAlg = encodeDigestAlgorithm(prepared.hash);
  const signerInfo = tlv(
    0x30,
    version1,
    tlv(0x30, f.issuer, f.serialNumber),
    digestAlg,
    concatBytes(new Uint8Array([0xa0]), prepared.der.subarray(1)),
    encode(sigAlg.toSchema()),
    tlv(0x04, signatureValue)
  );
  const signedData = tlv(
    0x30,
    version1,
    tlv(0x31, digestAlg),
    tlv(0x30, oidDer(OID.data)),
    tlv(0xa0, prepared.certificate, ...prepared.chain),
    tlv(0x31, signerInfo)
  );
  return tlv(0x30, oidDer(OID.signedData), tlv(0xa0, signedData));
}

export interface SignCmsInput {
  readonly signer: Signer;
  /** Digest of the detached content, computed with `hash`. */
  readonly contentDigest: Uint8Array;
  readonly hash?: DigestAlgorithm;
  /** Produce a maximum-size CMS with a dummy signature (sizes the placeholder; the key is not used). */
  readonly dryRun?: boolean;
  readonly crypto?: Crypto;
}

/** One call: prepare the signed attributes, have `signer` sign their DER, assemble the SignedData. */
export async function signCms(input: SignCmsInput): Promise<Bytes> {
  assertArg(input && typeof input.signer?.signRaw === 'function', 'signer is required');
  const hash = input.hash ?? 'SHA-256';
  const prepared = await prepareSignedAttributes({
    contentDigest: input.contentDigest,
    hash,
    certificate: input.signer.certificate,
    chain: input.signer.chain,
    scheme: input.signer.algorithm,
    crypto: input.crypto
  });
  const sig = await input.signer.signRaw({ data: prepared.der }, hash, { dryRun: input.dryRun === true });
  return assembleSignedData(prepared, sig, { verify: input.dryRun !== true, crypto: input.crypto });
}
