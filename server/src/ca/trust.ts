import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../env.ts';
import type { Db } from '../db/sqlite.ts';
import { Pkcs11KeyStore, SoftwareKeyStore, type KeyStore } from '../keys/index.ts';
import { RateLimiter } from '../ratelimit/limiter.ts';
import { WitnessSigner } from '../signing/witness.ts';
import { BuiltinTsa, TsaProxy, type TimeStampService } from '../tsa/authority.ts';
import { CertificateAuthority } from './authority.ts';
import { CrlSchedule } from './crl-schedule.ts';

/** The platform's trust services, opened once at start-up and injected into createApp. */
export interface TrustServices {
  keys: KeyStore;
  ca: CertificateAuthority;
  tsa: TimeStampService;
  witness: WitnessSigner;
  /** Per-client limiter of `POST /api/tsa`. */
  tsaLimiter: RateLimiter;
  /** Per-client limiter of signHash (default in signing/routes.ts when absent). */
  signLimiter?: RateLimiter;
  /** The CRL refresh timer (INKAN_CRL_REFRESH_MS), stopped by close(). */
  crlSchedule: CrlSchedule;
  close(): void;
}

/** Opens the key store the configuration names. */
export function openKeyStore(config: Config): KeyStore {
  const ks = config.trust.keyStore;
  return ks.kind === 'pkcs11'
    ? new Pkcs11KeyStore(ks)
    : new SoftwareKeyStore(join(config.dataDir, 'pki'), ks.passphrase);
}

/**
 * First start: keys generated in the key store, root + issuing CA + OCSP responder + TSA + witness
 * certificates issued and recorded; later starts find them again.
 */
export async function openTrustServices(o: {
  config: Config;
  db: Db;
  clock: () => Date;
  keys?: KeyStore;
  fetch?: typeof fetch;
  tsaAnchors?: Uint8Array[];
  tsaLimiter?: RateLimiter;
  signLimiter?: RateLimiter;
}): Promise<TrustServices> {
  const t = o.config.trust;
  const keys = o.keys ?? openKeyStore(o.config);
  const org = t.caOrganization;
  const ca = await CertificateAuthority.open({
    db: o.db,
    keys,
    clock: o.clock,
    publicUrl: o.config.publicUrl,
    organization: org,
    keyAlgorithm: t.caKeyAlgorithm,
    ...(t.caChainFile && { importedChain: pemCertificates(readFileSync(t.caChainFile, 'utf8')) })
  });
  let tsa: TimeStampService;
  if (t.tsaUpstreams.length) {
    const anchors =
      o.tsaAnchors ?? (t.tsaTrustFile ? pemCertificates(readFileSync(t.tsaTrustFile, 'utf8')) : undefined);
    if (!anchors?.length)
      console.warn('[inkan] TSA proxy without INKAN_TSA_TRUST: upstream replies are checked but not chained to a root');
    tsa = new TsaProxy({ upstreams: t.tsaUpstreams, timeoutMs: t.tsaTimeoutMs, anchors, fetch: o.fetch });
  } else {
    const tsaKey = await keys.ensure('tsa', t.tsaKeyAlgorithm);
    const certificate = await ca.serviceCertificate('tsa', tsaKey, {
      organization: org,
      commonName: `${org} Time-Stamping Authority`
    });
    tsa = new BuiltinTsa({
      db: o.db,
      clock: o.clock,
      certificate,
      key: tsaKey.authority(),
      chain: [ca.issuing.certificate],
      policy: t.tsaPolicy
    });
  }
  const witnessKey = await keys.ensure('witness', t.witnessKeyAlgorithm);
  const witnessCert = await ca.serviceCertificate('witness', witnessKey, {
    organization: org,
    organizationalUnit: '契約印 (witness)',
    commonName: `${org} 契約印`
  });
  const serial = (
    o.db.prepare('SELECT serial FROM ca_certificates WHERE der = ?').get(Buffer.from(witnessCert)) as { serial: string }
  ).serial;
  const witness = new WitnessSigner({
    db: o.db,
    clock: o.clock,
    key: witnessKey,
    certificate: witnessCert,
    chain: ca.chain,
    certificateSerial: serial
  });
  const crlSchedule = new CrlSchedule(ca, t.crlRefreshMs);
  return {
    keys,
    ca,
    tsa,
    witness,
    tsaLimiter: o.tsaLimiter ?? new RateLimiter({ burst: 100, perSecond: 50 }),
    signLimiter: o.signLimiter,
    crlSchedule,
    close: () => {
      crlSchedule.stop();
      tsa.close?.();
      keys.close();
    }
  };
}

/** DER of every CERTIFICATE block of a PEM text. */
export function pemCertificates(text: string): Uint8Array<ArrayBuffer>[] {
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map(
    (m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'))
  );
}
