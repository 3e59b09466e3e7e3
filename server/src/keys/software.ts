import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  sign as nodeSign,
  type KeyObject
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PkiError, type AuthorityKey, type DigestAlgorithm, type SignatureScheme } from '@inkan/pki';
import {
  checkLabel,
  digestInfo,
  KeyStoreError,
  sameAlgorithm,
  type KeyAlgorithm,
  type KeyStore,
  type StoredKey
} from './store.ts';

/**
 * Keys as files under `<dir>/<label>.p8`: PKCS#8 encrypted with AES-256-CBC under PBES2 (scrypt-free,
 * interoperable: `openssl pkcs8 -in label.p8 -inform DER`). The passphrase comes from configuration or, when
 * absent, from `<dir>/passphrase`, generated once with mode 0600.
 */
export class SoftwareKeyStore implements KeyStore {
  readonly kind = 'software';
  private readonly passphrase: string;
  private readonly cache = new Map<string, StoredKey>();

  constructor(
    private readonly dir: string,
    passphrase?: string | null
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.passphrase = passphrase || readOrCreatePassphrase(join(dir, 'passphrase'));
  }

  async find(label: string): Promise<StoredKey | null> {
    checkLabel(label);
    const hit = this.cache.get(label);
    if (hit) return hit;
    const file = join(this.dir, `${label}.p8`);
    if (!existsSync(file)) return null;
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: readFileSync(file), format: 'der', type: 'pkcs8', passphrase: this.passphrase });
    } catch {
      throw new KeyStoreError('KEY_PASSPHRASE_WRONG', `cannot decrypt key "${label}": wrong INKAN_KEY_PASSPHRASE?`);
    }
    const stored = softwareKey(label, key);
    this.cache.set(label, stored);
    return stored;
  }

  async ensure(label: string, algorithm: KeyAlgorithm): Promise<StoredKey> {
    const found = sameAlgorithm(await this.find(label), algorithm);
    if (found) return found;
    const enc = { type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: this.passphrase } as const;
    const pair = algorithm.startsWith('RSA-')
      ? generateKeyPairSync('rsa', {
          modulusLength: Number(algorithm.slice(4)),
          privateKeyEncoding: enc,
          publicKeyEncoding: { type: 'spki', format: 'der' }
        })
      : generateKeyPairSync('ec', {
          namedCurve: algorithm,
          privateKeyEncoding: enc,
          publicKeyEncoding: { type: 'spki', format: 'der' }
        });
    writeFileSync(join(this.dir, `${label}.p8`), pair.privateKey, { mode: 0o600, flag: 'wx' });
    return (await this.find(label))!;
  }

  close(): void {
    this.cache.clear();
  }
}

function readOrCreatePassphrase(file: string): string {
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}

function algorithmOf(key: KeyObject): KeyAlgorithm {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec' && (d.namedCurve === 'prime256v1' || d.namedCurve === 'P-256')) return 'P-256';
  if (key.asymmetricKeyType === 'ec' && (d.namedCurve === 'secp384r1' || d.namedCurve === 'P-384')) return 'P-384';
  if (key.asymmetricKeyType === 'rsa' && (d.modulusLength === 2048 || d.modulusLength === 3072))
    return `RSA-${d.modulusLength}` as KeyAlgorithm;
  throw new KeyStoreError('KEY_ALGORITHM_UNSUPPORTED', `unsupported key ${key.asymmetricKeyType}`);
}

export function schemeOf(alg: KeyAlgorithm): SignatureScheme {
  return alg.startsWith('RSA-')
    ? { name: 'RSASSA-PKCS1-v1_5', modulusLength: Number(alg.slice(4)) }
    : { name: 'ECDSA', namedCurve: alg as 'P-256' | 'P-384' };
}

export function defaultHashOf(alg: KeyAlgorithm): DigestAlgorithm {
  return alg === 'P-384' ? 'SHA-384' : 'SHA-256';
}

function softwareKey(label: string, key: KeyObject): StoredKey {
  const algorithm = algorithmOf(key);
  const spki = new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  const scheme = schemeOf(algorithm);
  return {
    label,
    algorithm,
    spki,
    authority(hash = defaultHashOf(algorithm)): AuthorityKey {
      return {
        spki,
        scheme,
        hash,
        async sign(data) {
          const alg = hash.toLowerCase().replace('-', '');
          return new Uint8Array(nodeSign(alg, data, scheme.name === 'ECDSA' ? { key, dsaEncoding: 'der' } : key));
        }
      };
    },
    async signDigest(digest, hash) {
      // ECDSA over a precomputed digest needs OpenSSL's raw EVP_PKEY_sign, which node:crypto does not expose:
      // crypto.sign(null, digest, ecKey) hashes the digest again (SHA-256), and WebCrypto always hashes. Signing
      // in JavaScript from the private scalar would take the key out of OpenSSL, so EC keys refuse; the witness
      // key is RSA (INKAN_WITNESS_KEY_ALG), and PKCS#11 tokens sign a bare digest with CKM_ECDSA.
      if (scheme.name !== 'RSASSA-PKCS1-v1_5')
        throw new PkiError(
          'PKI_ALGORITHM_NOT_ALLOWED',
          'software EC keys cannot sign a bare digest: use RSA or PKCS#11'
        );
      return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(digest, hash)));
    },
    async isExtractable() {
      return true;
    }
  };
}
