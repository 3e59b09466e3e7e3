import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';

/**
 * The organisation recovery key: an ECDH P-256 key pair whose public half the app wraps every document key for,
 * and whose private half the organisation keeps offline (paper, HSM, safe) so that documents stay readable for the
 * 7–10 years of tax audits even when every device is lost.
 *
 * In production the public key comes from INKAN_RECOVERY_PUBLIC_KEY and the private key never touches the server.
 * For a first `npm start` without it, one is generated under `{dataDir}/recovery/` and the console says loudly
 * that the private key must be moved offline.
 */
export const RECOVERY_PUBLIC_KEY = /^B[A-Za-z0-9_-]{86}$/;

export async function ensureRecoveryKey(dataDir: string, log: (line: string) => void): Promise<string> {
  const dir = join(dataDir, 'recovery');
  const pubFile = join(dir, 'recovery-public-key.txt');
  if (existsSync(pubFile)) return readFileSync(pubFile, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const pub = Buffer.from(await webcrypto.subtle.exportKey('raw', pair.publicKey)).toString('base64url');
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey)).toString('base64url');
  const privFile = join(dir, 'recovery-private-key.pkcs8.b64url');
  writeFileSync(privFile, pkcs8 + '\n', { mode: 0o600 });
  chmodSync(privFile, 0o600);
  writeFileSync(pubFile, pub + '\n');
  log(
    `[inkan] generated an organisation recovery key. MOVE ${privFile} OFFLINE (print it, keep it in a safe) and delete ` +
      `it here; set INKAN_RECOVERY_PUBLIC_KEY=${pub} in production.`
  );
  return pub;
}
