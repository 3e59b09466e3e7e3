// consumer side (signing, CMS, TSP client, validation) — owner: pki consumer engineer
export { PkiError, type PkiErrorCode } from './errors.ts';
export { OID } from './oids.ts';
export {
  DIGEST_ALGORITHMS,
  MIN_RSA_BITS,
  digest,
  digestFromOid,
  digestOid,
  digestLength,
  isDigestAlgorithm,
  ecdsaDerToRaw,
  ecdsaRawToDer,
  maxSignatureLength,
  type DigestAlgorithm,
  type SignatureScheme
} from './algorithms.ts';
export { verifySignature } from './verify-signature.ts';
export { dummySignature, type Signer, type SignInput, type SignOptions } from './signer.ts';
export {
  createCryptoKeySigner,
  createPkcs8Signer,
  type CryptoKeySignerOptions,
  type Pkcs8SignerOptions
} from './signers/cryptokey.ts';
export {
  prepareSignedAttributes,
  signingCertificateV2,
  type PreparedSignedAttributes,
  type PrepareSignedAttributesInput
} from './cms/signed-attributes.ts';
export { assembleSignedData, signCms, type SignCmsInput, type AssembleOptions } from './cms/signed-data.ts';
