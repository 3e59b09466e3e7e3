import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PkiError, assertArg } from '../errors.ts';
import { pemBlocks, type Bytes } from '../bytes.ts';
import { oidDer, parseAsn1, rawOf, tlv } from '../der.ts';
import { OID } from '../oids.ts';
import type { Signer } from '../signer.ts';
import { createPkcs8Signer } from './cryptokey.ts';
import { pbeDecrypt } from './pkcs12-decrypt.ts';

export interface PemSignerOptions {
  /**
   * The private key: `PRIVATE KEY` (PKCS#8, `openssl genpkey`), `ENCRYPTED PRIVATE KEY` (PKCS#8 + PBES2, needs
   * `password`), or the traditional `RSA PRIVATE KEY` / `EC PRIVATE KEY` (unencrypted).
   */
  readonly key: string;
  readonly password?: string;
  /** The signer certificate first, then any chain certificates (PEM, one or many blocks). */
  readonly certificates: string;
  readonly pss?: boolean;
  readonly crypto?: Crypto;
}

const VERSION_0 = Uint8Array.from([0x02, 0x01, 0x00]);

/**
 * Wrap a traditional key into a PKCS#8 PrivateKeyInfo (RFC 5208 §5):
 * ```asn1
 * PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING }
 * ECPrivateKey ::= SEQUENCE { version INTEGER, privateKey OCTET STRING,
 *                             parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }  -- RFC 5915
 * ```
 */
function toPkcs8(label: string, der: Bytes): Bytes {
  if (label === 'RSA PRIVATE KEY') {
    return tlv(0x30, VERSION_0, tlv(0x30, oidDer(OID.rsaEncryption), Uint8Array.from([0x05, 0x00])), tlv(0x04, der));
  }
  const ec = parseAsn1(der, 'EC private key');
  const params =
    ec instanceof asn1js.Sequence
      ? ec.valueBlock.value.find((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 0)
      : undefined;
  const curve = (params as asn1js.Constructed | undefined)?.valueBlock.value[0];
  if (!(curve instanceof asn1js.ObjectIdentifier))
    throw new PkiError('PKI_MALFORMED', 'EC private key without a named curve');
  return tlv(0x30, VERSION_0, tlv(0x30, oidDer(OID.ecPublicKey), rawOf(curve)), tlv(0x04, der));
}

async function decryptPkcs8(der: Bytes, password: string | undefined, crypto: Crypto): Promise<Bytes> {
  if (typeof password !== 'string')
    throw new PkiError('PKI_BAD_PASSWORD', 'the key is encrypted: a password is required');
  // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING } (RFC 5208 §6)
  const node = parseAsn1(der, 'encrypted private key') as asn1js.Sequence;
  const [alg, data] = node.valueBlock?.value ?? [];
  if (!alg || !(data instanceof asn1js.OctetString))
    throw new PkiError('PKI_MALFORMED', 'not an EncryptedPrivateKeyInfo');
  const plain = await pbeDecrypt(
    crypto,
    new pkijs.AlgorithmIdentifier({ schema: alg }),
    password,
    new Uint8Array(data.valueBlock.valueHexView)
  );
  try {
    new pkijs.PrivateKeyInfo({ schema: parseAsn1(plain, 'PrivateKeyInfo') });
  } catch {
    throw new PkiError('PKI_BAD_PASSWORD', 'wrong password (the decrypted key is not a PrivateKeyInfo)');
  }
  return plain;
}

/** A Signer from PEM key + certificate text (the CLI's `--key key.pem --cert chain.pem [--password]`). */
export async function createPemSigner(opts: PemSignerOptions): Promise<Signer> {
  assertArg(
    typeof opts?.key === 'string' && typeof opts.certificates === 'string',
    'key and certificates must be PEM text'
  );
  const crypto = opts.crypto ?? globalThis.crypto;
  const blocks = pemBlocks(opts.key).filter((b) => b.label.endsWith('PRIVATE KEY'));
  if (blocks.length !== 1)
    throw new PkiError('PKI_KEY_NOT_FOUND', `expected one private key block, found ${blocks.length}`);
  const { label, der } = blocks[0]!;
  if (/^Proc-Type:/m.test(opts.key))
    throw new PkiError('PKI_ALGORITHM_NOT_ALLOWED', 'legacy PEM encryption; convert with: openssl pkcs8 -topk8');
  let pkcs8: Bytes;
  if (label === 'PRIVATE KEY') pkcs8 = der;
  else if (label === 'ENCRYPTED PRIVATE KEY') pkcs8 = await decryptPkcs8(der, opts.password, crypto);
  else if (label === 'RSA PRIVATE KEY' || label === 'EC PRIVATE KEY') pkcs8 = toPkcs8(label, der);
  else throw new PkiError('PKI_KEY_NOT_FOUND', `unsupported key PEM (${label})`);
  const certs = pemBlocks(opts.certificates, 'CERTIFICATE').map((b) => b.der);
  if (certs.length === 0) throw new PkiError('PKI_MALFORMED', 'no CERTIFICATE block');
  return createPkcs8Signer({ pkcs8, certificate: certs[0]!, chain: certs.slice(1), pss: opts.pss, crypto });
}
