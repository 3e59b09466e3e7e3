import * as asn1js from 'asn1js';
import { PkiError, assertArg } from '../errors.ts';
import {
  digest,
  digestLength,
  digestOid,
  ecdsaRawToDer,
  isDigestAlgorithm,
  schemeFromPublicKey,
  signatureAlgorithmIdentifier,
  type DigestAlgorithm,
  type SignatureScheme
} from '../algorithms.ts';
import { fromBase64, isBytes, toArrayBuffer, toBase64 } from '../bytes.ts';
import { encode, parseCertificate } from '../der.ts';
import { OID } from '../oids.ts';
import { verifySignature } from '../verify-signature.ts';
import type { Fetch } from '../x509/fetch.ts';
import { dummySignature, type SignInput, type SignOptions, type Signer } from '../signer.ts';

export interface RemoteSignerOptions {
  /** Base URL of a Cloud Signature Consortium API v2-shaped service, e.g. `https://inkan.example/api/csc/v2`. */
  readonly baseUrl: string;
  readonly credentialID: string;
  readonly fetch?: Fetch;
  /** Extra request headers (e.g. `Authorization`), fixed or computed per call. */
  readonly headers?: Record<string, string> | (() => Promise<Record<string, string>>);
  /** Signature Activation Data (CSC `SAD`), fixed or obtained per call (e.g. after an OTP). */
  readonly sad?: string | (() => Promise<string | undefined>);
  /** Signer certificate and chain; when omitted they are read from `credentials/info`. */
  readonly certificate?: Uint8Array;
  readonly chain?: readonly Uint8Array[];
  /** Ask for RSASSA-PSS (RSA credentials). */
  readonly pss?: boolean;
  readonly crypto?: Crypto;
}

function fail(message: string, cause?: unknown): never {
  throw new PkiError('PKI_REMOTE_SIGNER_FAILED', message, { cause });
}

async function post(opts: RemoteSignerOptions, path: string, body: unknown): Promise<Record<string, unknown>> {
  const f = opts.fetch ?? globalThis.fetch;
  const extra = typeof opts.headers === 'function' ? await opts.headers() : (opts.headers ?? {});
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/${path}`;
  let res: Response;
  try {
    res = await f(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...extra },
      body: JSON.stringify(body)
    });
  } catch (cause) {
    return fail(`${url}: no answer (${(cause as Error).message})`, cause);
  }
  const text = await res.text();
  if (!res.ok) return fail(`${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    return fail(`${url}: answer is not JSON`, cause);
  }
}

/**
 * CSC `signAlgo` for a scheme + hash: rsaEncryption (hash given by `hashAlgorithmOID`), RSASSA-PSS with
 * `signAlgoParams`, or ecdsa-with-SHAxxx.
 */
function cscAlgorithm(scheme: SignatureScheme, hash: DigestAlgorithm): { signAlgo: string; signAlgoParams?: string } {
  if (scheme.name === 'RSASSA-PKCS1-v1_5') return { signAlgo: OID.rsaEncryption };
  const id = signatureAlgorithmIdentifier(scheme, hash);
  if (scheme.name === 'ECDSA') return { signAlgo: id.algorithmId };
  return { signAlgo: OID.rsassaPss, signAlgoParams: toBase64(encode(id.algorithmParams as asn1js.Sequence)) };
}

/** An ECDSA answer may be DER or raw r||s: normalise to DER. */
function normaliseEcdsa(sig: Uint8Array, curve: 'P-256' | 'P-384'): Uint8Array {
  const n = curve === 'P-256' ? 32 : 48;
  if (sig[0] === 0x30 && sig.length !== 2 * n) return sig;
  if (sig.length === 2 * n) {
    const parsed = asn1js.fromBER(toArrayBuffer(sig));
    if (parsed.offset === sig.length && parsed.result instanceof asn1js.Sequence) return sig;
    return ecdsaRawToDer(sig, curve);
  }
  return sig;
}

/**
 * A Signer whose key lives on a server: it sends only a digest to a CSC API v2-shaped endpoint
 * (`POST {baseUrl}/signatures/signHash` with `{ credentialID, SAD?, hashes: [base64], hashAlgorithmOID,
 * signAlgo, signAlgoParams? }` → `{ signatures: [base64] }`), so the document never leaves the browser.
 * For CMS the hash is that of the DER signed attributes. When `{ data }` is signed, the answer is verified
 * with the certificate's key before it is returned (`PKI_REMOTE_SIGNER_FAILED` otherwise).
 * A dry run makes no request.
 */
export async function createRemoteSigner(opts: RemoteSignerOptions): Promise<Signer> {
  assertArg(opts && typeof opts.baseUrl === 'string' && /^https?:\/\//.test(opts.baseUrl), 'baseUrl must be http(s)');
  assertArg(typeof opts.credentialID === 'string' && opts.credentialID.length > 0, 'credentialID is required');
  const crypto = opts.crypto ?? globalThis.crypto;
  let certificate = opts.certificate;
  let chain = [...(opts.chain ?? [])];
  if (!certificate) {
    const info = await post(opts, 'credentials/info', {
      credentialID: opts.credentialID,
      certificates: 'chain',
      certInfo: false
    });
    const list = (info.cert as { certificates?: unknown } | undefined)?.certificates;
    if (!Array.isArray(list) || list.length === 0 || !list.every((c) => typeof c === 'string'))
      fail('credentials/info returned no certificates');
    [certificate, ...chain] = (list as string[]).map(fromBase64);
  }
  assertArg(isBytes(certificate), 'certificate must be DER bytes');
  const cert = parseCertificate(certificate!);
  const scheme = schemeFromPublicKey(cert.subjectPublicKeyInfo, opts.pss === true);
  return {
    certificate: certificate!,
    chain,
    algorithm: scheme,
    acceptsDigest: true,
    async signRaw(input: SignInput, hash: DigestAlgorithm, o?: SignOptions) {
      assertArg(isDigestAlgorithm(hash), `digest ${String(hash)} is not allowed`);
      if (o?.dryRun) return dummySignature(scheme);
      assertArg(
        input && (('data' in input && isBytes(input.data)) || ('digest' in input && isBytes(input.digest))),
        'input must be { data } or { digest }'
      );
      const hashValue = 'data' in input ? await digest(hash, input.data, crypto) : input.digest;
      assertArg(hashValue.length === digestLength(hash), `digest must be ${digestLength(hash)} bytes`);
      const SAD = typeof opts.sad === 'function' ? await opts.sad() : opts.sad;
      const answer = await post(opts, 'signatures/signHash', {
        credentialID: opts.credentialID,
        ...(SAD ? { SAD } : {}),
        hashes: [toBase64(hashValue)],
        hashAlgorithmOID: digestOid(hash),
        ...cscAlgorithm(scheme, hash)
      });
      const sigs = answer.signatures;
      if (!Array.isArray(sigs) || sigs.length !== 1 || typeof sigs[0] !== 'string')
        fail('signHash returned no signature');
      let sig: Uint8Array;
      try {
        sig = fromBase64(sigs[0] as string);
      } catch (cause) {
        return fail('signHash returned invalid base64', cause);
      }
      if (scheme.name === 'ECDSA') sig = normaliseEcdsa(sig, scheme.namedCurve);
      if ('data' in input) {
        const check = await verifySignature({
          publicKey: cert.subjectPublicKeyInfo,
          algorithm: signatureAlgorithmIdentifier(scheme, hash),
          data: input.data,
          signature: sig,
          crypto
        });
        if (!check.valid) fail('the remote signature does not verify with the credential certificate');
      }
      return sig;
    }
  };
}
