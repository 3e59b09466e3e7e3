import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PkiError, assertArg } from '../errors.ts';
import { bytes, concatBytes, equalBytes, isBytes, toArrayBuffer, type Bytes } from '../bytes.ts';
import { parseAsn1, rawOf } from '../der.ts';
import { OID } from '../oids.ts';
import { describeCertificate } from '../x509/certificate.ts';
import type { Signer } from '../signer.ts';
import { createPkcs8Signer } from './cryptokey.ts';
import { bmpPassword, pbeDecrypt, pkcs12Kdf } from './pkcs12-decrypt.ts';

const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  cert: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  encryptedData: '1.2.840.113549.1.7.6'
} as const;

const MAC_HASH: Record<string, string> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512'
};

/** The keys (PKCS#8 DER) and certificates (DER) of a PKCS#12 file. */
export interface Pkcs12Contents {
  readonly privateKeys: readonly Uint8Array[];
  readonly certificates: readonly Uint8Array[];
}

function malformed(what: string): never {
  throw new PkiError('PKI_MALFORMED', `PKCS#12: ${what}`);
}

/** Contents of an OCTET STRING, or of an implicitly tagged one ([0] IMPLICIT), primitive or constructed. */
function octetContents(node: asn1js.AsnType | undefined): Bytes {
  if (!node) return malformed('OCTET STRING expected');
  if (node.idBlock.isConstructed) {
    const parts = (node as asn1js.Constructed).valueBlock.value;
    return concatBytes(...parts.map((p) => octetContents(p)));
  }
  const view = (node as asn1js.Primitive).valueBlock.valueHexView;
  if (!view) return malformed('OCTET STRING expected');
  return bytes(view).slice();
}

/**
 * ```asn1
 * MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
 * ```
 * HMAC over the authSafe content with a key from the PKCS#12 KDF, id 3 (RFC 7292 §5.1, App. B).
 */
async function checkMac(crypto: Crypto, pfx: pkijs.PFX, authSafeContent: Uint8Array, password: string): Promise<void> {
  const mac = pfx.macData;
  if (!mac) return;
  const hash = MAC_HASH[mac.mac.digestAlgorithm.algorithmId];
  if (!hash)
    throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', `PKCS#12 MAC digest ${mac.mac.digestAlgorithm.algorithmId}`);
  const len = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[hash]!;
  const key = await pkcs12Kdf(
    crypto,
    hash,
    bmpPassword(password),
    bytes(mac.macSalt.valueBlock.valueHexView),
    3,
    mac.iterations ?? 1,
    len
  );
  const hk = await crypto.subtle.importKey('raw', toArrayBuffer(key), { name: 'HMAC', hash }, false, ['sign']);
  const got = new Uint8Array(await crypto.subtle.sign('HMAC', hk, toArrayBuffer(authSafeContent)));
  if (!equalBytes(got, bytes(mac.mac.digest.valueBlock.valueHexView)))
    throw new PkiError('PKI_BAD_PASSWORD', 'wrong password (PKCS#12 MAC does not verify)');
}

/**
 * Read a PKCS#12 file (RFC 7292): verify the MAC with the password, decrypt the encrypted safes and the
 * shrouded key bags (PBES2/AES, or the legacy SHA-1 3DES / RC2 schemes), return keys and certificates.
 * Wrong password → `PKI_BAD_PASSWORD`; not a PKCS#12 → `PKI_MALFORMED`.
 * ```asn1
 * PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
 * AuthenticatedSafe ::= SEQUENCE OF ContentInfo   -- Data or EncryptedData
 * SafeBag ::= SEQUENCE { bagId OBJECT IDENTIFIER, bagValue [0] EXPLICIT ANY, bagAttributes SET OF PKCS12Attribute OPTIONAL }
 * ```
 */
export async function readPkcs12(
  pfxDer: Uint8Array,
  password: string,
  crypto: Crypto = globalThis.crypto
): Promise<Pkcs12Contents> {
  assertArg(isBytes(pfxDer), 'pfx must be bytes');
  assertArg(typeof password === 'string', 'password must be a string');
  let pfx: pkijs.PFX;
  try {
    pfx = new pkijs.PFX({ schema: parseAsn1(pfxDer, 'PKCS#12') });
  } catch (e) {
    if (e instanceof PkiError) throw e;
    return malformed((e as Error).message);
  }
  if (pfx.authSafe.contentType !== OID.data) malformed('public-key integrity mode is not supported');
  const authSafeContent = octetContents(pfx.authSafe.content as asn1js.AsnType);
  await checkMac(crypto, pfx, authSafeContent, password);
  const safes = parseAsn1(authSafeContent, 'AuthenticatedSafe');
  if (!(safes instanceof asn1js.Sequence)) malformed('AuthenticatedSafe is not a SEQUENCE');
  const privateKeys: Bytes[] = [];
  const certificates: Bytes[] = [];
  for (const ciNode of safes.valueBlock.value) {
    const ci = new pkijs.ContentInfo({ schema: ciNode });
    let safeContents: Bytes;
    if (ci.contentType === OID.data) safeContents = octetContents(ci.content as asn1js.AsnType);
    else if (ci.contentType === BAG.encryptedData) {
      const ed = new pkijs.EncryptedData({ schema: ci.content });
      const eci = ed.encryptedContentInfo;
      const enc = eci.encryptedContent;
      if (!enc) malformed('EncryptedData without content');
      safeContents = await pbeDecrypt(crypto, eci.contentEncryptionAlgorithm, password, octetContents(enc));
    } else continue;
    const bags = parseAsn1(safeContents, 'SafeContents');
    if (!(bags instanceof asn1js.Sequence)) malformed('SafeContents is not a SEQUENCE');
    for (const bag of bags.valueBlock.value) {
      const [idNode, wrapped] = (bag as asn1js.Sequence).valueBlock.value;
      const bagId = idNode instanceof asn1js.ObjectIdentifier ? idNode.valueBlock.toString() : '';
      const value = (wrapped as asn1js.Constructed | undefined)?.valueBlock.value[0];
      if (!value) continue;
      if (bagId === BAG.key) privateKeys.push(rawOf(value));
      else if (bagId === BAG.shroudedKey) {
        const epki = new pkijs.PKCS8ShroudedKeyBag({ schema: value });
        privateKeys.push(
          await pbeDecrypt(crypto, epki.encryptionAlgorithm, password, octetContents(epki.encryptedData))
        );
      } else if (bagId === BAG.cert) {
        const parts = (value as asn1js.Sequence).valueBlock.value;
        if ((parts[0] as asn1js.ObjectIdentifier).valueBlock.toString() !== BAG.x509Certificate) continue;
        certificates.push(octetContents((parts[1] as asn1js.Constructed).valueBlock.value[0]));
      }
    }
  }
  return { privateKeys, certificates };
}

export interface Pkcs12SignerOptions {
  readonly pfx: Uint8Array;
  readonly password: string;
  /** Sign with RSA-PSS (RSA keys). */
  readonly pss?: boolean;
  readonly crypto?: Crypto;
}

/**
 * A Signer from a PKCS#12 file + password: the key is imported into WebCrypto (non-extractable), the
 * certificate is the one the key belongs to (proved by a probe signature), the other certificates form the chain.
 */
export async function createPkcs12Signer(opts: Pkcs12SignerOptions): Promise<Signer> {
  const crypto = opts.crypto ?? globalThis.crypto;
  const { privateKeys, certificates } = await readPkcs12(opts.pfx, opts.password, crypto);
  if (privateKeys.length === 0) throw new PkiError('PKI_KEY_NOT_FOUND', 'PKCS#12 holds no private key');
  const ordered = [...certificates].sort(
    (a, b) => Number(describeCertificate(a).isCa) - Number(describeCertificate(b).isCa)
  );
  for (const pkcs8 of privateKeys) {
    for (const certificate of ordered) {
      try {
        return await createPkcs8Signer({
          pkcs8,
          certificate,
          chain: certificates.filter((c) => c !== certificate),
          pss: opts.pss,
          crypto
        });
      } catch (e) {
        if (!(e instanceof PkiError) || (e.code !== 'PKI_KEY_MISMATCH' && e.code !== 'PKI_ALGORITHM_NOT_ALLOWED'))
          throw e;
      }
    }
  }
  throw new PkiError('PKI_KEY_MISMATCH', 'no certificate in the PKCS#12 belongs to one of its private keys');
}
