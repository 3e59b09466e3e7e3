import * as pkijs from 'pkijs';
import { PkiError } from '../errors.ts';
import { equalBytes } from '../bytes.ts';
import { certificateFields, parseCertificate } from '../der.ts';
import { verifySignature } from '../verify-signature.ts';

/** One link of a built chain: the certificate DER and its parsed form. */
export interface ChainLink {
  readonly der: Uint8Array;
  readonly cert: pkijs.Certificate;
}

export interface BuiltChain {
  /** Target first, trust anchor last. */
  readonly links: readonly ChainLink[];
  /** A certificate in the chain is signed with a refused algorithm or key (reason). */
  readonly cryptoProblem?: string;
}

const MAX_DEPTH = 10;

function tryParse(der: Uint8Array): ChainLink | undefined {
  try {
    return { der, cert: parseCertificate(der) };
  } catch {
    return undefined;
  }
}

/** Name chaining (RFC 5280 §6.1.3 (a)(4)): exact DER match first, then pkijs' normalised comparison. */
export function issuedBy(child: ChainLink, parent: ChainLink): boolean {
  if (equalBytes(certificateFields(child.der).issuer, certificateFields(parent.der).subject)) return true;
  return child.cert.issuer.isEqual(parent.cert.subject);
}

/**
 * Verify that `parent`'s key signed `child` (over the TBSCertificate bytes as found). Returns
 * `'refused'` when the algorithm or key is not allowed (SHA-1, RSA < 2048), with the reason.
 */
export async function signedBy(
  child: ChainLink,
  parent: ChainLink,
  crypto?: Crypto
): Promise<true | false | { refused: string }> {
  try {
    const r = await verifySignature({
      publicKey: parent.cert.subjectPublicKeyInfo,
      algorithm: child.cert.signatureAlgorithm,
      data: child.cert.tbsView,
      signature: child.cert.signatureValue.valueBlock.valueHexView,
      crypto
    });
    return r.valid;
  } catch (e) {
    if (e instanceof PkiError && (e.code === 'PKI_ALGORITHM_NOT_ALLOWED' || e.code === 'PKI_WEAK_KEY'))
      return { refused: e.message };
    if (e instanceof PkiError) return false;
    throw e;
  }
}

/**
 * Build a certification path from `target` to one of `anchors`, using certificates from `pool`
 * (CMS certificates, DSS certificates, extras). Depth-first, names chained and signatures verified,
 * at most 10 links, no certificate used twice. Returns undefined when no path exists.
 */
export async function buildChain(
  target: Uint8Array,
  opts: { anchors: readonly Uint8Array[]; pool?: readonly Uint8Array[]; crypto?: Crypto }
): Promise<BuiltChain | undefined> {
  const start = tryParse(target);
  if (!start) throw new PkiError('PKI_MALFORMED', 'target certificate cannot be parsed');
  const anchors = opts.anchors.map(tryParse).filter((l): l is ChainLink => !!l);
  const pool = (opts.pool ?? []).map(tryParse).filter((l): l is ChainLink => !!l);
  const isAnchor = (l: ChainLink) => anchors.some((a) => equalBytes(a.der, l.der));
  if (isAnchor(start)) return { links: [start] };

  const walk = async (path: ChainLink[], cryptoProblem?: string): Promise<BuiltChain | undefined> => {
    const last = path[path.length - 1]!;
    if (path.length > MAX_DEPTH) return undefined;
    for (const anchor of anchors) {
      if (!issuedBy(last, anchor)) continue;
      const ok = await signedBy(last, anchor, opts.crypto);
      if (ok === true) return { links: [...path, anchor], cryptoProblem };
      if (ok !== false) return { links: [...path, anchor], cryptoProblem: cryptoProblem ?? ok.refused };
    }
    for (const cand of pool) {
      if (path.some((p) => equalBytes(p.der, cand.der)) || !issuedBy(last, cand)) continue;
      const ok = await signedBy(last, cand, opts.crypto);
      if (ok === false) continue;
      const found = await walk([...path, cand], cryptoProblem ?? (ok === true ? undefined : ok.refused));
      if (found) return found;
    }
    return undefined;
  };
  return walk([start]);
}
