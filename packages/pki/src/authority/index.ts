/** Issuing side of the PKI: certificates, CRLs, OCSP responses and RFC 3161 timestamps, signed by an injected key. */
export * from './key.ts';
export * from './der.ts';
export * from './certificate.ts';
export * from './crl.ts';
export * from './ocsp.ts';
export * from './timestamp.ts';
export * from './request.ts';
