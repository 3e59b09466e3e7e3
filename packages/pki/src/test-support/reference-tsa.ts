// Test-only: drives the reference openssl TSA and PKI from /work/shared/tools (nobody here wrote them).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pemBlocks } from '../bytes.ts';

const TOOLS = process.env.INKAN_JUDGES_TOOLS ?? '/work/shared/tools';

export interface ReferencePki {
  dir: string;
  pem(name: string): string;
  der(name: string): Uint8Array<ArrayBuffer>;
  file(name: string): string;
}

/**
 * A private, writable copy of the tools with a PKI made by make-pki.sh. The PKI is generated once into a
 * cache folder keyed by the script's content (atomic rename, so parallel test files may race safely)
 * and then copied: key generation is the slow part.
 */
export function makeReferencePki(): ReferencePki {
  if (!existsSync(TOOLS)) throw new Error(`judges tools not found at ${TOOLS}`);
  const key = createHash('sha256')
    .update(readFileSync(join(TOOLS, 'pki', 'make-pki.sh')))
    .digest('hex')
    .slice(0, 16);
  const cache = join(tmpdir(), `inkan-judges-cache-${process.getuid?.() ?? 0}-${key}`);
  if (!existsSync(join(cache, 'pki', 'root-ca.pem'))) {
    const fresh = mkdtempSync(join(tmpdir(), 'inkan-judges-new-'));
    cpSync(TOOLS, fresh, { recursive: true });
    execFileSync(join(fresh, 'pki', 'make-pki.sh'), { stdio: 'pipe' });
    try {
      renameSync(fresh, cache);
    } catch {
      rmSync(fresh, { recursive: true, force: true }); // another worker won the race
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'inkan-judges-pki-'));
  cpSync(cache, dir, { recursive: true });
  rmSync(join(dir, 'tsa', 'state'), { recursive: true, force: true });
  const caCnf = join(dir, 'pki', 'ca-db', 'ca.cnf'); // make-pki.sh writes absolute paths into it
  writeFileSync(caCnf, readFileSync(caCnf, 'utf8').replace(/\S*\/pki\/ca-db\//g, `${dir}/pki/ca-db/`));
  const file = (name: string) => join(dir, 'pki', name);
  return {
    dir,
    file,
    pem: (name) => readFileSync(file(`${name}.pem`), 'utf8'),
    der: (name) => pemBlocks(readFileSync(file(`${name}.pem`), 'utf8'), 'CERTIFICATE')[0]!.der
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface ReferenceTsa {
  pki: ReferencePki;
  url: string;
  port: number;
  stop(): void;
}

export async function startReferenceTsa(): Promise<ReferenceTsa> {
  const port = await freePort();
  const pki = makeReferencePki();
  const ctl = join(pki.dir, 'tsa', 'tsa-ctl.sh');
  execFileSync(ctl, ['start', String(port)], { stdio: 'pipe' });
  return {
    pki,
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () => execFileSync(ctl, ['stop', String(port)], { stdio: 'pipe' })
  };
}
