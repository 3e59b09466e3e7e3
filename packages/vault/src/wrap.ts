import { concat, fromBase64Url, randomBytes, toBase64Url, utf8, type Bytes } from './bytes.ts';
import { VaultError } from './errors.ts';

/**
 * A content key wrapped for one recipient; plain JSON so it travels through the API and sits in the database
 * unchanged. The server stores these but cannot open any of them.
 *
 * - `device` / `recovery`: ECDH-ES on P-256 (NIST SP 800-56A §6.2.2, one ephemeral key per wrap) → HKDF-SHA-256
 *   (RFC 5869) → AES-256 key wrap (RFC 3394). `kid` is the recipient public key's fingerprint.
 * - `link`: HKDF-SHA-256 of the 256-bit link secret from the signing URL's `#k=` fragment → AES-256 key wrap.
 */
export interface WrappedKey {
  v: 1;
  kind: 'device' | 'recovery' | 'link';
  alg: 'ECDH-ES+HKDF-SHA256+A256KW' | 'HKDF-SHA256+A256KW';
  /** base64url SHA-256 of the recipient's raw public key (ECDH kinds). */
  kid?: string;
  /** base64url uncompressed ephemeral public point, 65 bytes (ECDH kinds). */
  epk?: string;
  /** base64url RFC 3394 output, 40 bytes. */
  wrapped: string;
}

const subtle = () => globalThis.crypto.subtle;
const P256 = { name: 'ECDH', namedCurve: 'P-256' } as const;
const KW = { name: 'AES-KW', length: 256 } as const;
const CONTENT = { name: 'AES-GCM', length: 256 } as const;

/**
 * A device (or recovery) key pair: ECDH P-256 whose private half is non-extractable. Store the CryptoKeyPair in
 * IndexedDB as is (structured clone keeps it non-extractable). ECDH rather than a bare AES-KW key because anyone
 * holding only the public key can wrap for it — the same code serves the offline recovery key, and a second
 * device or a re-wrap can be added without the first device online.
 */
export async function generateDeviceKey(): Promise<CryptoKeyPair> {
  return subtle().generateKey(P256, false, ['deriveBits']);
}

/** The organisation's recovery key pair, made once on an offline machine: keep `privateKeyPkcs8` offline. */
export async function generateRecoveryKey(): Promise<{ publicKey: string; privateKeyPkcs8: string }> {
  const pair = await subtle().generateKey(P256, true, ['deriveBits']);
  return {
    publicKey: toBase64Url(new Uint8Array(await subtle().exportKey('raw', pair.publicKey))),
    privateKeyPkcs8: toBase64Url(new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey)))
  };
}

/** Imports a base64url raw (uncompressed) P-256 public key, e.g. the recovery key from the server's settings. */
export async function importPublicKey(raw: string): Promise<CryptoKey> {
  try {
    return await subtle().importKey('raw', fromBase64Url(raw, 'public key'), P256, true, []);
  } catch (e) {
    if (e instanceof VaultError) throw e;
    throw new VaultError('VAULT_INVALID_ARGUMENT', 'not a P-256 public key');
  }
}

/** Imports the recovery private key (base64url PKCS#8) on the machine that recovers documents. */
export async function importPrivateKey(pkcs8: string): Promise<CryptoKey> {
  try {
    return await subtle().importKey('pkcs8', fromBase64Url(pkcs8, 'private key'), P256, false, ['deriveBits']);
  } catch (e) {
    if (e instanceof VaultError) throw e;
    throw new VaultError('VAULT_INVALID_ARGUMENT', 'not a P-256 PKCS#8 private key');
  }
}

/** base64url SHA-256 of the raw public key: the `kid` that tells which wrapped key belongs to which key pair. */
export async function keyId(publicKey: CryptoKey): Promise<string> {
  const raw = new Uint8Array(await subtle().exportKey('raw', publicKey));
  return toBase64Url(new Uint8Array(await subtle().digest('SHA-256', raw)));
}

async function ecdhKek(
  privateKey: CryptoKey,
  peer: CryptoKey,
  epkRaw: Bytes,
  recipientRaw: Bytes,
  kind: string,
  usage: 'wrapKey' | 'unwrapKey'
): Promise<CryptoKey> {
  const shared = await subtle().deriveBits({ name: 'ECDH', public: peer }, privateKey, 256);
  const ikm = await subtle().importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const params = {
    name: 'HKDF',
    hash: 'SHA-256',
    salt: concat(epkRaw, recipientRaw),
    info: utf8(`inkan-vault-v1/ecdh-p256/${kind}`)
  };
  return subtle().deriveKey(params, ikm, KW, false, [usage]);
}

function checkKind(kind: string): asserts kind is 'device' | 'recovery' {
  if (kind !== 'device' && kind !== 'recovery')
    throw new VaultError('VAULT_INVALID_ARGUMENT', `ECDH wrapping is for device or recovery keys, not "${kind}"`);
}

/** Wraps `contentKey` so that only the holder of the private half of `publicKey` can unwrap it. */
export async function wrapForPublicKey(
  contentKey: CryptoKey,
  publicKey: CryptoKey,
  kind: 'device' | 'recovery'
): Promise<WrappedKey> {
  checkKind(kind);
  if (publicKey?.algorithm?.name !== 'ECDH' || publicKey.type !== 'public')
    throw new VaultError('VAULT_INVALID_ARGUMENT', 'recipient must be an ECDH P-256 public key');
  const eph = await subtle().generateKey(P256, true, ['deriveBits']);
  const epkRaw = new Uint8Array(await subtle().exportKey('raw', eph.publicKey));
  const recipientRaw = new Uint8Array(await subtle().exportKey('raw', publicKey));
  const kek = await ecdhKek(eph.privateKey, publicKey, epkRaw, recipientRaw, kind, 'wrapKey');
  const wrapped = new Uint8Array(await subtle().wrapKey('raw', contentKey, kek, 'AES-KW'));
  return {
    v: 1,
    kind,
    alg: 'ECDH-ES+HKDF-SHA256+A256KW',
    kid: await keyId(publicKey),
    epk: toBase64Url(epkRaw),
    wrapped: toBase64Url(wrapped)
  };
}

/**
 * Unwraps a `device` or `recovery` key with the matching private key. `extractable` only when the caller must
 * wrap the content key again (e.g. for a new device); decrypting needs none.
 */
export async function unwrapWithPrivateKey(
  wrappedKey: WrappedKey,
  keyPair: { privateKey: CryptoKey; publicKey: CryptoKey },
  options: { extractable?: boolean } = {}
): Promise<CryptoKey> {
  checkKind(wrappedKey.kind);
  if (wrappedKey.alg !== 'ECDH-ES+HKDF-SHA256+A256KW' || !wrappedKey.epk)
    throw new VaultError('VAULT_FORMAT', `unsupported key wrapping ${wrappedKey.alg}`);
  const epkRaw = fromBase64Url(wrappedKey.epk, 'epk');
  let epk: CryptoKey;
  try {
    epk = await subtle().importKey('raw', epkRaw, P256, true, []);
  } catch {
    throw new VaultError('VAULT_TAMPERED', 'the wrapped key carries an invalid ephemeral public key');
  }
  const recipientRaw = new Uint8Array(await subtle().exportKey('raw', keyPair.publicKey));
  const kek = await ecdhKek(keyPair.privateKey, epk, epkRaw, recipientRaw, wrappedKey.kind, 'unwrapKey');
  return unwrap(wrappedKey, kek, options.extractable ?? false, 'this key pair');
}

async function unwrap(w: WrappedKey, kek: CryptoKey, extractable: boolean, what: string): Promise<CryptoKey> {
  const wrapped = fromBase64Url(w.wrapped, 'wrapped key');
  try {
    return await subtle().unwrapKey('raw', wrapped, kek, 'AES-KW', CONTENT, extractable, ['encrypt', 'decrypt']);
  } catch {
    // RFC 3394 §2.2.3: the integrity check fails for any other key-encryption key (or a modified wrap).
    throw new VaultError('VAULT_WRONG_KEY', `${what} cannot open the document key`);
  }
}

/** A new 256-bit link secret, base64url, for the signing URL's fragment: `…/sign/{id}?t=…#k={secret}`. */
export function newLinkSecret(): string {
  return toBase64Url(randomBytes(32));
}

async function linkKek(secret: string, envelopeId: string, usage: 'wrapKey' | 'unwrapKey'): Promise<CryptoKey> {
  const raw = fromBase64Url(secret, 'link secret');
  if (raw.length !== 32) throw new VaultError('VAULT_INVALID_ARGUMENT', 'a link secret is 32 bytes');
  if (!envelopeId) throw new VaultError('VAULT_INVALID_ARGUMENT', 'the envelope id is required');
  const ikm = await subtle().importKey('raw', raw, 'HKDF', false, ['deriveKey']);
  const params = { name: 'HKDF', hash: 'SHA-256', salt: utf8(envelopeId), info: utf8('inkan-vault-v1/link') };
  return subtle().deriveKey(params, ikm, KW, false, [usage]);
}

/** Wraps `contentKey` under a link secret, bound to one envelope id (a secret does not open another envelope). */
export async function wrapForLinkSecret(
  contentKey: CryptoKey,
  secret: string,
  envelopeId: string
): Promise<WrappedKey> {
  const kek = await linkKek(secret, envelopeId, 'wrapKey');
  const wrapped = new Uint8Array(await subtle().wrapKey('raw', contentKey, kek, 'AES-KW'));
  return { v: 1, kind: 'link', alg: 'HKDF-SHA256+A256KW', wrapped: toBase64Url(wrapped) };
}

export async function unwrapWithLinkSecret(
  wrappedKey: WrappedKey,
  secret: string,
  envelopeId: string,
  options: { extractable?: boolean } = {}
): Promise<CryptoKey> {
  if (wrappedKey.kind !== 'link' || wrappedKey.alg !== 'HKDF-SHA256+A256KW')
    throw new VaultError('VAULT_FORMAT', `not a link-wrapped key (${wrappedKey.kind}, ${wrappedKey.alg})`);
  const kek = await linkKek(secret, envelopeId, 'unwrapKey');
  return unwrap(wrappedKey, kek, options.extractable ?? false, 'this link secret');
}
