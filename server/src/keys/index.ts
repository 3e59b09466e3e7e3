export * from './store.ts';
export { SoftwareKeyStore } from './software.ts';
export { Pkcs11KeyStore, type Pkcs11Options } from './pkcs11.ts';
