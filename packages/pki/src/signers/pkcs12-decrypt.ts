import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import forge from 'node-forge';
import { PkiError } from '../errors.ts';
import { bytes, concatBytes, toArrayBuffer, type Bytes } from '../bytes.ts';

/** Password-based algorithms met in PKCS#12 files (RFC 7292 App. C, RFC 8018 §6.2, NIST AES OIDs). */
const PBE = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  sha1And3DES: '1.2.840.113549.1.12.1.3',
  sha1And128RC2: '1.2.840.113549.1.12.1.5',
  sha1And40RC2: '1.2.840.113549.1.12.1.6',
  aes128cbc: '2.16.840.1.101.3.4.1.2',
  aes192cbc: '2.16.840.1.101.3.4.1.22',
  aes256cbc: '2.16.840.1.101.3.4.1.42',
  desEde3cbc: '1.2.840.113549.3.7',
  hmacWithSHA1: '1.2.840.113549.2.7',
  hmacWithSHA256: '1.2.840.113549.2.9',
  hmacWithSHA384: '1.2.840.113549.2.10',
  hmacWithSHA512: '1.2.840.113549.2.11'
} as const;

const PRF: Record<string, string> = {
  [PBE.hmacWithSHA1]: 'SHA-1',
  [PBE.hmacWithSHA256]: 'SHA-256',
  [PBE.hmacWithSHA384]: 'SHA-384',
  [PBE.hmacWithSHA512]: 'SHA-512'
};

const HASH_BLOCK: Record<string, { u: number; v: number }> = {
  'SHA-1': { u: 20, v: 64 },
  'SHA-256': { u: 32, v: 64 },
  'SHA-384': { u: 48, v: 128 },
  'SHA-512': { u: 64, v: 128 }
};

/** Password as BMPString with a two-zero terminator (RFC 7292 App. B.1). */
export function bmpPassword(password: string): Bytes {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    out[2 * i] = password.charCodeAt(i) >> 8;
    out[2 * i + 1] = password.charCodeAt(i) & 0xff;
  }
  return out;
}

/**
 * The PKCS#12 key derivation (RFC 7292 Appendix B.2). `id` 1 = key, 2 = IV, 3 = MAC key.
 * It only reads legacy files (and the MAC); new files are never written with it.
 */
export async function pkcs12Kdf(
  crypto: Crypto,
  hash: string,
  password: Uint8Array,
  salt: Uint8Array,
  id: number,
  iterations: number,
  n: number
): Promise<Bytes> {
  const blk = HASH_BLOCK[hash];
  if (!blk) throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', `PKCS#12 KDF hash ${hash}`);
  const { u, v } = blk;
  const fill = (src: Uint8Array) => {
    const len = src.length === 0 ? 0 : v * Math.ceil(src.length / v);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = new Uint8Array(v).fill(id);
  const I = concatBytes(fill(salt), fill(password));
  const out = new Uint8Array(n);
  for (let off = 0; off < n;) {
    let A: Bytes = new Uint8Array(await crypto.subtle.digest(hash, concatBytes(D, I)));
    for (let i = 1; i < iterations; i++) A = new Uint8Array(await crypto.subtle.digest(hash, A));
    out.set(A.subarray(0, Math.min(u, n - off)), off);
    off += u;
    if (off >= n) break;
    const B = fill(A).subarray(0, v);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        carry += I[j + k]! + B[k]!;
        I[j + k] = carry & 0xff;
        carry >>= 8;
      }
    }
  }
  return out;
}

function legacyDecrypt(oid: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Bytes {
  const bin = (b: Uint8Array) => forge.util.binary.raw.encode(b);
  let cipher: { update(b: forge.util.ByteStringBuffer): void; finish(): boolean; output: forge.util.ByteStringBuffer };
  if (oid === PBE.sha1And3DES) {
    const des = forge.cipher.createDecipher('3DES-CBC', bin(key));
    des.start({ iv: bin(iv) });
    cipher = des;
  } else {
    // forge's RC2 takes the IV positionally (rc2.js `start(iv, output)`).
    const rc2 = forge.rc2.createDecryptionCipher(bin(key), key.length * 8);
    (rc2.start as unknown as (iv: string) => void)(bin(iv));
    cipher = rc2 as unknown as typeof cipher;
  }
  cipher.update(forge.util.createBuffer(bin(data)));
  if (!cipher.finish()) throw new PkiError('PKI_BAD_PASSWORD', 'wrong password (bad padding)');
  return bytes(forge.util.binary.raw.decode(cipher.output.getBytes()));
}

/**
 * Decrypt PKCS#12 / PKCS#8 encrypted content: PBES2 (PBKDF2 + AES-CBC or DES-EDE3-CBC, RFC 8018 §6.2)
 * through WebCrypto, and the legacy pbeWithSHAAnd3-KeyTripleDES-CBC / RC2 schemes (RFC 7292 App. C)
 * that `openssl pkcs12 -export` may still write. Bad padding → `PKI_BAD_PASSWORD`.
 */
export async function pbeDecrypt(
  crypto: Crypto,
  alg: pkijs.AlgorithmIdentifier,
  password: string,
  data: Uint8Array
): Promise<Bytes> {
  const oid = alg.algorithmId;
  if (oid === PBE.sha1And3DES || oid === PBE.sha1And40RC2 || oid === PBE.sha1And128RC2) {
    const params = alg.algorithmParams as asn1js.Sequence;
    const salt = bytes((params.valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView);
    const iterations = (params.valueBlock.value[1] as asn1js.Integer).valueBlock.valueDec;
    const keyLen = oid === PBE.sha1And3DES ? 24 : oid === PBE.sha1And128RC2 ? 16 : 5;
    const pw = bmpPassword(password);
    const key = await pkcs12Kdf(crypto, 'SHA-1', pw, salt, 1, iterations, keyLen);
    const iv = await pkcs12Kdf(crypto, 'SHA-1', pw, salt, 2, iterations, 8);
    return legacyDecrypt(oid, key, iv, data);
  }
  if (oid !== PBE.pbes2) throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', `PKCS#12 encryption ${oid} is not supported`);
  const p = new pkijs.PBES2Params({ schema: alg.algorithmParams });
  if (p.keyDerivationFunc.algorithmId !== PBE.pbkdf2)
    throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', 'PBES2 KDF must be PBKDF2');
  const kdf = new pkijs.PBKDF2Params({ schema: p.keyDerivationFunc.algorithmParams });
  const prf = PRF[kdf.prf?.algorithmId ?? PBE.hmacWithSHA1];
  if (!prf) throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', 'unknown PBKDF2 PRF');
  const encOid = p.encryptionScheme.algorithmId;
  const iv = bytes((p.encryptionScheme.algorithmParams as asn1js.OctetString).valueBlock.valueHexView);
  const salt = bytes((kdf.salt as asn1js.OctetString).valueBlock.valueHexView);
  const keyLen =
    encOid === PBE.aes128cbc
      ? 16
      : encOid === PBE.aes192cbc
        ? 24
        : encOid === PBE.aes256cbc
          ? 32
          : encOid === PBE.desEde3cbc
            ? 24
            : 0;
  if (!keyLen) throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', `PBES2 cipher ${encOid} is not supported`);
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, [
    'deriveBits'
  ]);
  const keyBits = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: prf, salt: toArrayBuffer(salt), iterations: kdf.iterationCount },
      base,
      keyLen * 8
    )
  );
  if (encOid === PBE.desEde3cbc) return legacyDecrypt(PBE.sha1And3DES, keyBits, iv, data);
  const aes = await crypto.subtle.importKey('raw', keyBits, 'AES-CBC', false, ['decrypt']);
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-CBC', iv: toArrayBuffer(iv) }, aes, toArrayBuffer(data))
    );
  } catch {
    throw new PkiError('PKI_BAD_PASSWORD', 'wrong password (bad padding)');
  }
}
