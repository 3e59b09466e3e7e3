/** Test helpers: a deterministic PKI, an in-process TSA and OCSP responder, a frozen clock. Node only. */
export * from './pki.ts';
export * from './server.ts';
export { testKeys } from './keys.ts';
export { opensslCmsVerify } from '../test-support/openssl.ts';
