import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import pkcs11js from 'pkcs11js';
import { ecdsaRawToDer, type AuthorityKey, type DigestAlgorithm } from '@inkan/pki';
import { defaultHashOf, schemeOf } from './software.ts';
import {
  checkLabel,
  digestInfo,
  KeyStoreError,
  sameAlgorithm,
  nodeHash,
  type KeyAlgorithm,
  type KeyStore,
  type StoredKey
} from './store.ts';

export interface Pkcs11Options {
  /** PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so */
  module: string;
  /** Token label to open (the first token with this label). */
  token: string;
  /** User PIN. */
  pin: string;
}

const CURVE_OID: Record<'P-256' | 'P-384', string> = { 'P-256': '1.2.840.10045.3.1.7', 'P-384': '1.3.132.0.34' };

/**
 * Keys inside an HSM through PKCS#11 (pkcs11js). Key pairs are generated in the token with
 * CKA_SENSITIVE = true and CKA_EXTRACTABLE = false, so the private key never leaves it; `isExtractable()`
 * reads those attributes (and CKA_NEVER_EXTRACTABLE) back from the token. ECDSA signs the digest inside the
 * token (CKM_ECDSA), RSA signs DigestInfo with CKM_RSA_PKCS.
 */
export class Pkcs11KeyStore implements KeyStore {
  readonly kind = 'pkcs11';
  private readonly p11: pkcs11js.PKCS11;
  private readonly session: Buffer;
  private readonly cache = new Map<string, StoredKey>();
  private closed = false;

  constructor(opts: Pkcs11Options) {
    this.p11 = new pkcs11js.PKCS11();
    try {
      this.p11.load(opts.module);
      this.p11.C_Initialize();
    } catch (e) {
      throw new KeyStoreError('KEY_STORE_FAILED', `cannot load PKCS#11 module ${opts.module}: ${(e as Error).message}`);
    }
    const slot = this.p11.C_GetSlotList(true).find((s) => this.p11.C_GetTokenInfo(s).label.trim() === opts.token);
    if (!slot) {
      this.p11.C_Finalize();
      throw new KeyStoreError('KEY_STORE_FAILED', `no PKCS#11 token labelled "${opts.token}"`);
    }
    this.session = this.p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    try {
      this.p11.C_Login(this.session, pkcs11js.CKU_USER, opts.pin);
    } catch (e) {
      if (!String((e as Error).message).includes('CKR_USER_ALREADY_LOGGED_IN')) {
        this.close();
        throw new KeyStoreError('KEY_STORE_FAILED', `PKCS#11 login failed: ${(e as Error).message}`);
      }
    }
  }

  private findObject(cls: number, label: string): Buffer | null {
    this.p11.C_FindObjectsInit(this.session, [
      { type: pkcs11js.CKA_CLASS, value: cls },
      { type: pkcs11js.CKA_LABEL, value: label }
    ]);
    const h = this.p11.C_FindObjects(this.session);
    this.p11.C_FindObjectsFinal(this.session);
    return h;
  }

  async find(label: string): Promise<StoredKey | null> {
    checkLabel(label);
    const hit = this.cache.get(label);
    if (hit) return hit;
    const priv = this.findObject(pkcs11js.CKO_PRIVATE_KEY, label);
    const pub = this.findObject(pkcs11js.CKO_PUBLIC_KEY, label);
    if (!priv || !pub) return null;
    const stored = this.wrap(label, priv, pub);
    this.cache.set(label, stored);
    return stored;
  }

  async ensure(label: string, algorithm: KeyAlgorithm): Promise<StoredKey> {
    const found = sameAlgorithm(await this.find(label), algorithm);
    if (found) return found;
    const id = Buffer.from(label);
    const common = [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_LABEL, value: label },
      { type: pkcs11js.CKA_ID, value: id }
    ];
    const privateTemplate = [
      ...common,
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SIGN, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false }
    ];
    const publicTemplate = [
      ...common,
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
      { type: pkcs11js.CKA_VERIFY, value: true }
    ];
    try {
      if (algorithm.startsWith('RSA-')) {
        publicTemplate.push(
          { type: pkcs11js.CKA_MODULUS_BITS, value: Number(algorithm.slice(4)) } as never,
          { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) } as never
        );
        this.p11.C_GenerateKeyPair(
          this.session,
          { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
          publicTemplate,
          privateTemplate
        );
      } else {
        const params = Buffer.from(
          new asn1js.ObjectIdentifier({ value: CURVE_OID[algorithm as 'P-256'] }).toBER(false)
        );
        publicTemplate.push({ type: pkcs11js.CKA_EC_PARAMS, value: params } as never);
        this.p11.C_GenerateKeyPair(
          this.session,
          { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
          publicTemplate,
          privateTemplate
        );
      }
    } catch (e) {
      throw new KeyStoreError('KEY_STORE_FAILED', `key generation in the token failed: ${(e as Error).message}`);
    }
    return (await this.find(label))!;
  }

  private wrap(label: string, priv: Buffer, pub: Buffer): StoredKey {
    const { spki, algorithm } = this.publicKeyOf(pub);
    const scheme = schemeOf(algorithm);
    const ec = scheme.name === 'ECDSA';
    const signRaw = (mechanism: number, input: Buffer): Uint8Array<ArrayBuffer> => {
      if (this.closed) throw new KeyStoreError('KEY_STORE_FAILED', 'key store closed');
      this.p11.C_SignInit(this.session, { mechanism }, priv);
      return new Uint8Array(this.p11.C_Sign(this.session, input, Buffer.alloc(1024)));
    };
    const signDigest = async (digest: Uint8Array, hash: DigestAlgorithm) => {
      if (ec) return ecdsaRawToDer(signRaw(pkcs11js.CKM_ECDSA, Buffer.from(digest)), algorithm as 'P-256' | 'P-384');
      return signRaw(pkcs11js.CKM_RSA_PKCS, digestInfo(digest, hash));
    };
    return {
      label,
      algorithm,
      spki,
      authority(hash = defaultHashOf(algorithm)): AuthorityKey {
        return { spki, scheme, hash, sign: async (data) => signDigest(nodeHash(hash, data), hash) };
      },
      signDigest,
      isExtractable: async () => {
        const attrs = this.p11.C_GetAttributeValue(this.session, priv, [
          { type: pkcs11js.CKA_EXTRACTABLE },
          { type: pkcs11js.CKA_SENSITIVE },
          { type: pkcs11js.CKA_NEVER_EXTRACTABLE }
        ]);
        const bool = (i: number) => (attrs[i]!.value as Buffer)[0] === 1;
        return bool(0) || !bool(1) || !bool(2);
      }
    };
  }

  private publicKeyOf(pub: Buffer): { spki: Uint8Array<ArrayBuffer>; algorithm: KeyAlgorithm } {
    const [type] = this.p11.C_GetAttributeValue(this.session, pub, [{ type: pkcs11js.CKA_KEY_TYPE }]);
    const keyType = (type!.value as Buffer).readUInt32LE(0);
    const info = new pkijs.PublicKeyInfo();
    let algorithm: KeyAlgorithm;
    if (keyType === pkcs11js.CKK_RSA) {
      const [n, e] = this.p11.C_GetAttributeValue(this.session, pub, [
        { type: pkcs11js.CKA_MODULUS },
        { type: pkcs11js.CKA_PUBLIC_EXPONENT }
      ]);
      const mod = n!.value as Buffer;
      const rsa = new pkijs.RSAPublicKey({
        modulus: new asn1js.Integer({ valueHex: mod[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), mod]) : mod }),
        publicExponent: new asn1js.Integer({ valueHex: e!.value as Buffer })
      });
      info.algorithm = new pkijs.AlgorithmIdentifier({
        algorithmId: '1.2.840.113549.1.1.1',
        algorithmParams: new asn1js.Null()
      });
      info.subjectPublicKey = new asn1js.BitString({ valueHex: rsa.toSchema().toBER(false) });
      algorithm = `RSA-${mod.length * 8}` as KeyAlgorithm;
    } else if (keyType === pkcs11js.CKK_EC) {
      const [params, point] = this.p11.C_GetAttributeValue(this.session, pub, [
        { type: pkcs11js.CKA_EC_PARAMS },
        { type: pkcs11js.CKA_EC_POINT }
      ]);
      const oid = (
        asn1js.fromBER(new Uint8Array(params!.value as Buffer)).result as asn1js.ObjectIdentifier
      ).valueBlock.toString();
      algorithm = oid === CURVE_OID['P-384'] ? 'P-384' : 'P-256';
      // CKA_EC_POINT is the DER OCTET STRING holding the uncompressed point (PKCS#11 v2.40 §2.3.3).
      const raw = asn1js.fromBER(new Uint8Array(point!.value as Buffer)).result as asn1js.OctetString;
      info.algorithm = new pkijs.AlgorithmIdentifier({
        algorithmId: '1.2.840.10045.2.1',
        algorithmParams: new asn1js.ObjectIdentifier({ value: oid })
      });
      info.subjectPublicKey = new asn1js.BitString({ valueHex: raw.valueBlock.valueHexView.slice() });
    } else throw new KeyStoreError('KEY_ALGORITHM_UNSUPPORTED', `token key type ${keyType}`);
    return { spki: new Uint8Array(info.toSchema().toBER(false)), algorithm };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.p11.C_CloseSession(this.session);
    } finally {
      this.p11.C_Finalize();
    }
  }
}
