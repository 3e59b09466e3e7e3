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
  parseSignatureAlgorithm,
  type DigestAlgorithm,
  type SignatureScheme,
  type SignatureAlgorithmInfo
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
export {
  inspectSignedData,
  type SignerInfoFacts,
  type InspectOptions,
  type ContentDigestProvider,
  type RawAttribute
} from './cms/inspect.ts';
export { addUnsignedAttribute, signatureValueOf } from './cms/unsigned-attributes.ts';
export {
  createTimestampRequest,
  readTimestampResponse,
  requestTimestamp,
  fetchTransport,
  type HttpTransport,
  type TimestampClientOptions,
  type TimestampRequest,
  type TimestampRequestInput
} from './tsp/client.ts';
export {
  verifyTimestampToken,
  isTsaCertificate,
  type TimestampToken,
  type TimestampVerification,
  type VerifyTimestampOptions,
  type Imprinted
} from './tsp/token.ts';
export { addSignatureTimestampToken, timestampSignature } from './tsp/signature-timestamp.ts';
export { describeCertificate, type CertificateInfo, type KeyUsageName } from './x509/certificate.ts';
export { buildChain, type BuiltChain, type ChainLink } from './x509/chain.ts';
export { verifyCms, type VerifyCmsOptions, type CmsVerification } from './cms/verify.ts';
export {
  validatePath,
  type ValidatePathOptions,
  type PathValidation,
  type PathIndication,
  type PathSubIndication,
  type CertificateRevocation
} from './x509/path.ts';
export {
  checkCrl,
  checkOcsp,
  createOcspRequest,
  type RevocationFacts,
  type RevocationStatus
} from './x509/revocation.ts';
export { fetchCrl, fetchOcsp, fetchCertificates, type Fetch } from './x509/fetch.ts';
export { createPkcs12Signer, readPkcs12, type Pkcs12SignerOptions, type Pkcs12Contents } from './signers/pkcs12.ts';
export { createPemSigner, type PemSignerOptions } from './signers/pem.ts';
export { collectValidationData, type CollectValidationDataInput, type ValidationData } from './x509/collect.ts';
export { createRemoteSigner, type RemoteSignerOptions } from './signers/remote.ts';
export { createCsr, readCsr, type CsrSubject, type CsrInfo } from './csr.ts';
// issuing side (CA, CRL, OCSP responder, TSA) — owner: trust-services engineer; test PKI at '@inkan/pki/testing'
export * from './authority/index.ts';
