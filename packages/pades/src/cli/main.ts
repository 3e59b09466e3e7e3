/**
 * `inkan` — sign, extend and verify PDFs from a terminal (issue 3; `verify` is issue 4's, see verify.ts).
 *
 * Exit status: 0 success; 1 a refused or failed operation, with one line `error CODE: message` on stderr
 * (CODE is the stable code of PadesError / PdfError / PkiError); 2 a usage error. The output file is
 * written only when the whole operation succeeded.
 *
 * @example
 * npx inkan sign contract.pdf -o signed.pdf --p12 me.p12 --password pw --tsa http://127.0.0.1:8778/tsa \
 *   --visible 1:350,60,200,60 --name '山田 太郎' --reason '契約に同意します'
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { findField, PdfFile } from '@inkan/pdf';
import { fetchTransport } from '@inkan/pki';
import { buildAppearance } from '../appearance/appearance.ts';
import { defaultFontBytes } from '../appearance/font-node.ts';
import { nodeDigester } from '../node-digest.ts';
import type { SealImage } from '../appearance/seal.ts';
import { extendPdfChunks } from '../sign/extend.ts';
import { signPdfChunks } from '../sign/sign.ts';
import { EXTEND_USAGE, SIGN_USAGE, UsageError, parseExtendArgs, parseSignArgs, type SignCommand } from './args.ts';
import { loadSigner } from './keys.ts';

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Network for the TSA and validation data (default: global fetch). */
  fetch?: typeof fetch;
  /** Clock for /M and the appearance (default: now). */
  now?: () => Date;
}

const USAGE = `usage: inkan <command> …
  inkan sign IN.pdf -o OUT.pdf …      sign (PAdES B-B, B-T, B-LT, B-LTA)
  inkan extend IN.pdf -o OUT.pdf …    add validation data / an archive time-stamp
  inkan verify FILE.pdf --trust ROOTS.pem [--json]
Run "inkan <command> --help" for the options.`;

const defaultIo: CliIo = {
  stdout: (s) => process.stdout.write(s + '\n'),
  stderr: (s) => process.stderr.write(s + '\n')
};

/**
 * Writes `chunks` one after the other to `path` atomically (temp file + rename): never a half-written
 * output, and no joined copy of a large document in memory.
 */
async function writeOutput(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  const tmp = `${path}.inkan-${process.pid}.tmp`;
  try {
    await writeFile(tmp, chunks);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

const appended = (chunks: readonly Uint8Array[], input: Uint8Array): number =>
  chunks.reduce((n, c) => n + c.length, 0) - input.length;

async function readInput(path: string): Promise<Uint8Array> {
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.length); // a view: signing never writes to its input
  } catch (e) {
    throw Object.assign(
      new Error(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`),
      {
        code: 'INPUT_UNREADABLE'
      }
    );
  }
}

async function seal(cmd: SignCommand): Promise<SealImage | undefined> {
  if (!cmd.seal) return cmd.name ? { kind: 'name', name: cmd.name.split(/\s+/)[0] } : undefined;
  const bytes = await readInput(cmd.seal);
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  return { kind: jpeg ? 'jpeg' : 'png', bytes };
}

/** Size of an existing field's widget (so `--field NAME` gets a picture that fits), if it has a visible one. */
function fieldBox(pdf: Uint8Array, name: string, password?: string): { width: number; height: number } | undefined {
  let file: PdfFile;
  try {
    file = PdfFile.open(pdf, { password });
  } catch {
    return undefined; // signPdf reports the real problem with its code
  }
  const rect = findField(file, name)?.widgets[0]?.dict.get('Rect');
  const nums = rect?.kind === 'array' ? rect.items.map((x) => (x.kind === 'number' ? x.value : NaN)) : [];
  if (nums.length !== 4 || nums.some(Number.isNaN)) return undefined;
  const [width, height] = [Math.abs(nums[2] - nums[0]), Math.abs(nums[3] - nums[1])];
  return width >= 20 && height >= 10 ? { width, height } : undefined;
}

async function sign(argv: string[], io: CliIo): Promise<number> {
  const cmd = parseSignArgs(argv);
  const pdf = await readInput(cmd.input);
  const signer = await loadSigner(cmd.key).catch((e: NodeJS.ErrnoException) => {
    throw typeof e.errno === 'number'
      ? Object.assign(new Error(`cannot read the key: ${e.message}`), { code: 'KEY_UNREADABLE' })
      : e;
  });
  const now = io.now?.() ?? new Date();
  const net = io.fetch ?? globalThis.fetch;
  const tsa = cmd.tsa ? { url: cmd.tsa, transport: fetchTransport(net) } : undefined;
  const v = cmd.visible;
  const box = v ?? (cmd.field ? fieldBox(pdf, cmd.field, cmd.pdfPassword) : undefined);
  const appearance = box
    ? await buildAppearance(
        {
          width: box.width,
          height: box.height,
          signerName: cmd.name ?? 'Signer',
          signedAt: now,
          reason: cmd.reason,
          location: cmd.location,
          seal: await seal(cmd)
        },
        await defaultFontBytes()
      )
    : undefined;
  const out = await signPdfChunks(pdf, signer, {
    level: cmd.level,
    tsa,
    fetch: net,
    hash: cmd.hash,
    field: cmd.field,
    visible: v ? { page: v.page - 1, rect: [v.x, v.y, v.width, v.height] } : undefined,
    appearance,
    certify: cmd.certify,
    signerName: cmd.name,
    reason: cmd.reason,
    location: cmd.location,
    signingTime: now,
    password: cmd.pdfPassword,
    digester: nodeDigester
  });
  await writeOutput(cmd.output, out);
  io.stdout(`signed ${cmd.output} (${cmd.level}, ${appended(out, pdf)} bytes appended)`);
  return 0;
}

async function extend(argv: string[], io: CliIo): Promise<number> {
  const cmd = parseExtendArgs(argv);
  const pdf = await readInput(cmd.input);
  const net = io.fetch ?? globalThis.fetch;
  const out = await extendPdfChunks(pdf, {
    level: cmd.level,
    tsa: cmd.tsa ? { url: cmd.tsa, transport: fetchTransport(net) } : undefined,
    fetch: net,
    password: cmd.pdfPassword,
    digester: nodeDigester
  });
  await writeOutput(cmd.output, out);
  io.stdout(`extended ${cmd.output} to ${cmd.level} (${appended(out, pdf)} bytes appended)`);
  return 0;
}

/** Runs the CLI; returns the exit status (never calls process.exit). */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  const help = rest.includes('--help') || rest.includes('-h');
  try {
    switch (command) {
      case 'sign':
        if (help) return (io.stdout(SIGN_USAGE), 0);
        return await sign(rest, io);
      case 'extend':
        if (help) return (io.stdout(EXTEND_USAGE), 0);
        return await extend(rest, io);
      case 'verify': {
        const { runVerify } = await import('./verify.ts');
        return await runVerify(rest, { stdout: io.stdout, stderr: io.stderr });
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}`);
      io.stderr(command === 'sign' ? SIGN_USAGE : command === 'extend' ? EXTEND_USAGE : USAGE);
      return 2;
    }
    const code = typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'INTERNAL';
    const message = ((e as Error).message ?? String(e)).replace(/\s+/g, ' ').trim();
    io.stderr(`error ${code}: ${message}`);
    return 1;
  }
}
