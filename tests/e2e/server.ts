import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';

const ROOT = resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** A real Inkan server process (the same entry point as `npm start`), startable and stoppable by a test. */
export class InkanServer {
  private proc: ChildProcess | null = null;
  readonly dataDir: string;
  port = 0;

  constructor(readonly env: Record<string, string> = {}) {
    this.dataDir = mkdtempSync(join(tmpdir(), 'inkan-e2e-'));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.proc) return;
    if (!this.port) this.port = await freePort();
    const proc = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1', INKAN_DATA_DIR: this.dataDir },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    this.proc = proc;
    let log = '';
    proc.stderr!.on('data', (d) => (log += d));
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`server did not start in 30 s:\n${log}`)), 30_000);
      proc.stdout!.on('data', (d: Buffer) => {
        log += d;
        if (log.includes('is running')) {
          clearTimeout(timer);
          ok();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`server exited with ${code}:\n${log}`));
      });
    });
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    this.proc = null;
    await new Promise<void>((ok) => {
      p.once('exit', () => ok());
      p.kill('SIGTERM');
    });
  }
}
