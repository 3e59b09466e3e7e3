// Test-only: drives the reference openssl TSA and PKI from /work/shared/tools (nobody here wrote them).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
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

/** Copy the tools somewhere writable and run make-pki.sh. */
export function makeReferencePki(port = 8778): ReferencePki {
  if (!existsSync(TOOLS)) throw new Error(`judges tools not found at ${TOOLS}`);
  const dir = mkdtempSync(join(tmpdir(), 'inkan-judges-pki-'));
  cpSync(TOOLS, dir, { recursive: true });
  execFileSync(join(dir, 'pki', 'make-pki.sh'), { env: { ...process.env, CRL_PORT: String(port) }, stdio: 'pipe' });
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
  const pki = makeReferencePki(port);
  const ctl = join(pki.dir, 'tsa', 'tsa-ctl.sh');
  execFileSync(ctl, ['start', String(port)], { stdio: 'pipe' });
  return {
    pki,
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () => execFileSync(ctl, ['stop', String(port)], { stdio: 'pipe' })
  };
}
