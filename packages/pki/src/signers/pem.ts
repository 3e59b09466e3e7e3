import { PkiError, assertArg } from '../errors.ts';
import { pemBlocks } from '../bytes.ts';
import type { Signer } from '../signer.ts';
import { createPkcs8Signer } from './cryptokey.ts';

export interface PemSignerOptions {
  /** `-----BEGIN PRIVATE KEY-----` (PKCS#8, as `openssl genpkey` writes). */
  readonly key: string;
  /** The signer certificate first, then any chain certificates (PEM, one or many blocks). */
  readonly certificates: string;
  readonly pss?: boolean;
  readonly crypto?: Crypto;
}

/** A Signer from PEM key + certificate text (the CLI's `--key key.pem --cert chain.pem`). */
export async function createPemSigner(opts: PemSignerOptions): Promise<Signer> {
  assertArg(
    typeof opts?.key === 'string' && typeof opts.certificates === 'string',
    'key and certificates must be PEM text'
  );
  const keys = pemBlocks(opts.key, 'PRIVATE KEY');
  if (keys.length !== 1) {
    const other = pemBlocks(opts.key).map((b) => b.label);
    throw new PkiError(
      'PKI_KEY_NOT_FOUND',
      other.length
        ? `unsupported key PEM (${other.join(', ')}); convert with: openssl pkcs8 -topk8 -nocrypt`
        : 'no PRIVATE KEY block'
    );
  }
  const certs = pemBlocks(opts.certificates, 'CERTIFICATE').map((b) => b.der);
  if (certs.length === 0) throw new PkiError('PKI_MALFORMED', 'no CERTIFICATE block');
  return createPkcs8Signer({
    pkcs8: keys[0]!.der,
    certificate: certs[0]!,
    chain: certs.slice(1),
    pss: opts.pss,
    crypto: opts.crypto
  });
}
