import { resolve } from 'node:path';

/** Server configuration, parsed once from the environment at start-up. Invalid values fail fast. */
export interface Config {
  host: string;
  port: number;
  /** Root of all embedded state: SQLite file, blob folder, PKI material. */
  dataDir: string;
  /** Folder holding the built PWA (vite build output). */
  webDir: string;
  /** Public origin used in links (e-mails, certificate AIA/CRL URLs). */
  publicUrl: string;
  version: string;
  /** Largest ciphertext blob accepted by `PUT /api/blobs` (INKAN_MAX_BLOB_BYTES, default 256 MiB). */
  maxBlobBytes: number;
  /**
   * The organisation recovery public key (INKAN_RECOVERY_PUBLIC_KEY, base64url raw P-256), which the app wraps
   * every document key for; null here means main.ts provides one from the data folder (see envelopes/recovery.ts).
   */
  recoveryPublicKey: string | null;
  /**
   * How long an uploaded ciphertext blob that no revision references is kept before the sweep deletes it
   * (INKAN_BLOB_GRACE_HOURS, whole hours ≥ 1, default 24): uploads in progress must survive.
   */
  blobGraceMs: number;
  /** Outgoing mail server (INKAN_SMTP_URL, e.g. `smtp://127.0.0.1:2525`); null prints mails to the console. */
  smtpUrl: string | null;
  /** Sender address of outgoing mail (INKAN_MAIL_FROM). */
  mailFrom: string;
  /** NODE_ENV=production: dev-only routes (GET /dev/mail) are not mounted. */
  production: boolean;
  /** Trust services: key store, CA, TSA, witness signing (see trustConfig). */
  trust: TrustConfig;
}

/** Configuration of the trust services (issue 5), from INKAN_KEY_*, INKAN_PKCS11_*, INKAN_CA_*, INKAN_TSA_*. */
export interface TrustConfig {
  /** software (default: encrypted PKCS#8 under <dataDir>/pki) or pkcs11 (INKAN_KEY_STORE=pkcs11). */
  keyStore:
    { kind: 'software'; passphrase: string | null } | { kind: 'pkcs11'; module: string; token: string; pin: string };
  /** INKAN_CA_KEY_ALG: P-256 (default) or RSA-3072. */
  caKeyAlgorithm: 'P-256' | 'RSA-3072';
  /** INKAN_CA_ORGANIZATION (default "Inkan"): O= of the platform certificates. */
  caOrganization: string;
  /** INKAN_WITNESS_KEY_ALG: key of the 契約印 witness signature, RSA-3072 (default) or RSA-2048. */
  witnessKeyAlgorithm: 'RSA-2048' | 'RSA-3072';
  /** INKAN_TSA_URLS (comma-separated): proxy mode to these upstream TSAs, in failover order; empty = built-in TSA. */
  tsaUpstreams: string[];
  /**
   * INKAN_TSA_KEY_ALG: key of the built-in TSA, P-256 (default) or RSA-3072 (what commercial TSAs and older
   * verifiers commonly expect). A data folder keeps the key it was first started with.
   */
  tsaKeyAlgorithm: 'P-256' | 'RSA-3072';
  /** INKAN_TSA_POLICY: policy OID of the built-in TSA. */
  tsaPolicy: string;
  /** INKAN_TSA_TIMEOUT_MS: per-upstream timeout in proxy mode (default 5000). */
  tsaTimeoutMs: number;
  /** INKAN_TSA_TRUST: PEM file of the roots upstream TSA certificates must chain to (proxy mode). */
  tsaTrustFile: string | null;
  /** INKAN_CRL_REFRESH_MS: how often the server checks whether the CRL is due to be rebuilt (default hourly). */
  crlRefreshMs: number;
  /**
   * INKAN_CA_CHAIN: PEM file of an externally certified issuing CA (its certificate first, the root last) for
   * the key behind GET /api/ca/issuing.csr; replaces the self-made root.
   */
  caChainFile: string | null;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function port(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`PORT must be an integer 0-65535, got "${raw}"`);
  return n;
}

function trustConfig(env: Record<string, string | undefined>): TrustConfig {
  const store = env.INKAN_KEY_STORE?.trim() || 'software';
  let keyStore: TrustConfig['keyStore'];
  if (store === 'software') keyStore = { kind: 'software', passphrase: env.INKAN_KEY_PASSPHRASE || null };
  else if (store === 'pkcs11') {
    const module = env.INKAN_PKCS11_MODULE?.trim();
    const token = env.INKAN_PKCS11_TOKEN?.trim();
    const pin = env.INKAN_PKCS11_PIN;
    if (!module || !token || !pin)
      throw new ConfigError(
        'INKAN_KEY_STORE=pkcs11 needs INKAN_PKCS11_MODULE, INKAN_PKCS11_TOKEN and INKAN_PKCS11_PIN'
      );
    keyStore = { kind: 'pkcs11', module, token, pin };
  } else throw new ConfigError(`INKAN_KEY_STORE must be software or pkcs11, got "${store}"`);
  const caKeyAlgorithm = env.INKAN_CA_KEY_ALG?.trim() || 'P-256';
  if (caKeyAlgorithm !== 'P-256' && caKeyAlgorithm !== 'RSA-3072')
    throw new ConfigError(`INKAN_CA_KEY_ALG must be P-256 or RSA-3072, got "${caKeyAlgorithm}"`);
  const witness = env.INKAN_WITNESS_KEY_ALG?.trim() || 'RSA-3072';
  if (witness !== 'RSA-2048' && witness !== 'RSA-3072')
    throw new ConfigError(`INKAN_WITNESS_KEY_ALG must be RSA-2048 or RSA-3072, got "${witness}"`);
  const tsaKeyAlgorithm = env.INKAN_TSA_KEY_ALG?.trim() || 'P-256';
  if (tsaKeyAlgorithm !== 'P-256' && tsaKeyAlgorithm !== 'RSA-3072')
    throw new ConfigError(`INKAN_TSA_KEY_ALG must be P-256 or RSA-3072, got "${tsaKeyAlgorithm}"`);
  const tsaUpstreams = (env.INKAN_TSA_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const u of tsaUpstreams)
    if (!/^https?:\/\/\S+$/.test(u)) throw new ConfigError(`INKAN_TSA_URLS: not an http(s) URL: "${u}"`);
  const tsaPolicy = env.INKAN_TSA_POLICY?.trim() || '1.3.6.1.4.1.55555.5.1';
  if (!/^[0-2](\.\d+)+$/.test(tsaPolicy)) throw new ConfigError(`INKAN_TSA_POLICY is not an OID: "${tsaPolicy}"`);
  const tsaTimeoutMs = Number(env.INKAN_TSA_TIMEOUT_MS?.trim() || 5000);
  if (!Number.isInteger(tsaTimeoutMs) || tsaTimeoutMs < 100)
    throw new ConfigError('INKAN_TSA_TIMEOUT_MS must be an integer ≥ 100');
  const crlRefreshMs = Number(env.INKAN_CRL_REFRESH_MS?.trim() || 3_600_000);
  if (!Number.isInteger(crlRefreshMs) || crlRefreshMs < 1000)
    throw new ConfigError('INKAN_CRL_REFRESH_MS must be an integer ≥ 1000');
  return {
    keyStore,
    caKeyAlgorithm,
    caOrganization: env.INKAN_CA_ORGANIZATION?.trim() || 'Inkan',
    witnessKeyAlgorithm: witness,
    tsaKeyAlgorithm,
    tsaUpstreams,
    tsaPolicy,
    tsaTimeoutMs,
    tsaTrustFile: env.INKAN_TSA_TRUST?.trim() || null,
    crlRefreshMs,
    caChainFile: env.INKAN_CA_CHAIN?.trim() || null
  };
}

function smtpUrl(raw: string | undefined): string | null {
  const url = raw?.trim();
  if (!url) return null;
  if (!/^smtps?:\/\/[^\s]+$/.test(url))
    throw new ConfigError(`INKAN_SMTP_URL must be smtp://… or smtps://…, got "${url}"`);
  return url;
}

export function parseEnv(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const host = env.HOST?.trim() || '127.0.0.1';
  const p = port(env.PORT, 8787);
  const dataDir = resolve(cwd, env.INKAN_DATA_DIR?.trim() || 'data');
  const webDir = resolve(cwd, env.INKAN_WEB_DIR?.trim() || 'build');
  const publicUrl = (env.INKAN_PUBLIC_URL?.trim() || `http://${host.includes(':') ? `[${host}]` : host}:${p}`).replace(
    /\/+$/,
    ''
  );
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`INKAN_PUBLIC_URL is not a URL: "${publicUrl}"`);
  }
  const maxBlobBytes = Number(env.INKAN_MAX_BLOB_BYTES?.trim() || 256 * 1024 * 1024);
  if (!Number.isSafeInteger(maxBlobBytes) || maxBlobBytes < 1024)
    throw new ConfigError(`INKAN_MAX_BLOB_BYTES must be an integer ≥ 1024, got "${env.INKAN_MAX_BLOB_BYTES}"`);
  const recoveryPublicKey = env.INKAN_RECOVERY_PUBLIC_KEY?.trim() || null;
  if (recoveryPublicKey && !/^B[A-Za-z0-9_-]{86}$/.test(recoveryPublicKey))
    throw new ConfigError('INKAN_RECOVERY_PUBLIC_KEY must be a base64url uncompressed P-256 point (87 characters)');
  const graceHours = Number(env.INKAN_BLOB_GRACE_HOURS?.trim() || 24);
  if (!Number.isInteger(graceHours) || graceHours < 1)
    throw new ConfigError(
      `INKAN_BLOB_GRACE_HOURS must be a whole number of hours ≥ 1, got "${env.INKAN_BLOB_GRACE_HOURS}"`
    );
  const production = env.NODE_ENV === 'production';
  const smtp = smtpUrl(env.INKAN_SMTP_URL);
  // Without SMTP mails would only reach the dev outbox table, which production does not serve: codes and
  // invitations would never arrive, and an opted-in link secret would sit in the database.
  if (production && !smtp)
    throw new ConfigError('NODE_ENV=production needs INKAN_SMTP_URL (the dev outbox is for development)');
  return {
    host,
    port: p,
    dataDir,
    webDir,
    publicUrl,
    version: env.npm_package_version || '0.1.0',
    maxBlobBytes,
    recoveryPublicKey,
    blobGraceMs: graceHours * 3_600_000,
    smtpUrl: smtp,
    mailFrom: env.INKAN_MAIL_FROM?.trim() || `Inkan <no-reply@${new URL(publicUrl).hostname}>`,
    production,
    trust: trustConfig(env)
  };
}
