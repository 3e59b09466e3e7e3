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
  /** Outgoing mail server (INKAN_SMTP_URL, e.g. `smtp://127.0.0.1:2525`); null prints mails to the console. */
  smtpUrl: string | null;
  /** Sender address of outgoing mail (INKAN_MAIL_FROM). */
  mailFrom: string;
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
  return {
    host,
    port: p,
    dataDir,
    webDir,
    publicUrl,
    version: env.npm_package_version || '0.1.0',
    maxBlobBytes,
    recoveryPublicKey,
    smtpUrl: smtpUrl(env.INKAN_SMTP_URL),
    mailFrom: env.INKAN_MAIL_FROM?.trim() || `Inkan <no-reply@${new URL(publicUrl).hostname}>`
  };
}
