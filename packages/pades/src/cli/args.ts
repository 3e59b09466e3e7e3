/**
 * Command-line grammar of `inkan sign` and `inkan extend` (issue 3), parsed into typed commands.
 * Parsing only: no file is read here, so every rule is testable without a disk.
 *
 * @example
 * parseSignArgs(['in.pdf', '-o', 'out.pdf', '--p12', 'me.p12', '--password', 'pw', '--tsa', 'http://tsa'])
 * // → { input: 'in.pdf', output: 'out.pdf', key: { kind: 'p12', … }, level: 'B-T', … }
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type CliLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
const LEVELS: readonly CliLevel[] = ['B-B', 'B-T', 'B-LT', 'B-LTA'];

/** A wrong command line: exit status 2 with usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type KeySource =
  | { readonly kind: 'p12'; readonly file: string; readonly password: string }
  | { readonly kind: 'pem'; readonly keyFile: string; readonly certFile: string; readonly chainFile?: string };

export interface VisibleBox {
  /** 1-based page number as people count. */
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface SignCommand {
  readonly input: string;
  readonly output: string;
  readonly key: KeySource;
  readonly level: CliLevel;
  readonly tsa?: string;
  readonly field?: string;
  readonly visible?: VisibleBox;
  readonly seal?: string;
  readonly name?: string;
  readonly reason?: string;
  readonly location?: string;
  readonly certify?: 1 | 2 | 3;
  readonly pdfPassword?: string;
  readonly hash: 'SHA-256' | 'SHA-384' | 'SHA-512';
}

export interface ExtendCommand {
  readonly input: string;
  readonly output: string;
  readonly level: 'B-LT' | 'B-LTA';
  readonly tsa?: string;
  readonly pdfPassword?: string;
}

export const SIGN_USAGE = `usage: inkan sign IN.pdf -o OUT.pdf (--p12 FILE --password PW | --key KEY.pem --cert CERT.pem [--chain CHAIN.pem])
         [--level B-B|B-T|B-LT|B-LTA] [--tsa URL] [--field NAME] [--visible PAGE:X,Y,W,H] [--seal SEAL.png]
         [--name TEXT] [--reason TEXT] [--location TEXT] [--certify 1|2|3] [--pdf-password PW] [--hash SHA-256|SHA-384|SHA-512]
  The level defaults to B-T when --tsa is given, else B-B. B-T and above need --tsa.`;

export const EXTEND_USAGE = `usage: inkan extend IN.pdf -o OUT.pdf --level B-LT|B-LTA [--tsa URL] [--pdf-password PW]
  Adds validation data (DSS) for every signature; B-LTA also adds a document time-stamp (needs --tsa).
  On a B-LTA document this is how the archive time-stamp is renewed.`;

function parse(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function one(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one input PDF, got ${positionals.length}`);
  return positionals[0];
}

function level(
  v: string | undefined,
  tsa: string | undefined,
  allowed: readonly CliLevel[],
  extending = false
): CliLevel {
  const l = (v ?? (tsa ? 'B-T' : 'B-B')).toUpperCase() as CliLevel;
  if (!allowed.includes(l)) throw new UsageError(`--level must be one of ${allowed.join(', ')}`);
  // a new signature at B-T or above needs its signature time-stamp; extending to B-LT only adds a DSS
  if (l !== 'B-B' && !(extending && l === 'B-LT') && !tsa) throw new UsageError(`--level ${l} needs --tsa URL`);
  return l;
}

function url(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new UsageError(`--tsa is not a URL: ${v}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError('--tsa must be an http(s) URL');
  return v;
}

/** `PAGE:X,Y,W,H` in PDF points from the page's bottom-left corner, e.g. `1:50,50,200,60`. */
export function parseVisible(v: string): VisibleBox {
  const m = /^(\d+):(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/.exec(v.trim());
  if (!m) throw new UsageError(`--visible must look like PAGE:X,Y,W,H (e.g. 1:50,50,200,60), got ${v}`);
  const [page, x, y, width, height] = m.slice(1).map(Number);
  if (page < 1) throw new UsageError('--visible page numbers start at 1');
  if (width < 20 || height < 10) throw new UsageError('--visible box is too small (at least 20×10 points)');
  return { page, x, y, width, height };
}

export function parseSignArgs(argv: readonly string[]): SignCommand {
  const { values: v, positionals } = parse(argv, {
    output: { type: 'string', short: 'o' },
    p12: { type: 'string' },
    password: { type: 'string' },
    key: { type: 'string' },
    cert: { type: 'string' },
    chain: { type: 'string' },
    level: { type: 'string' },
    tsa: { type: 'string' },
    field: { type: 'string' },
    visible: { type: 'string' },
    seal: { type: 'string' },
    name: { type: 'string' },
    reason: { type: 'string' },
    location: { type: 'string' },
    certify: { type: 'string' },
    'pdf-password': { type: 'string' },
    hash: { type: 'string' }
  });
  const s = (k: string): string | undefined => v[k] as string | undefined;
  const input = one(positionals);
  const output = s('output');
  if (!output) throw new UsageError('-o OUT.pdf is required');
  let key: KeySource;
  if (s('p12') !== undefined) {
    if (s('key') || s('cert')) throw new UsageError('give either --p12 or --key/--cert, not both');
    if (s('password') === undefined) throw new UsageError('--p12 needs --password (use --password "" for none)');
    key = { kind: 'p12', file: s('p12')!, password: s('password')! };
  } else if (s('key') !== undefined || s('cert') !== undefined) {
    if (!s('key') || !s('cert')) throw new UsageError('--key and --cert go together');
    key = { kind: 'pem', keyFile: s('key')!, certFile: s('cert')!, chainFile: s('chain') };
  } else throw new UsageError('a key is required: --p12 FILE --password PW, or --key KEY.pem --cert CERT.pem');
  const tsa = url(s('tsa'));
  const certify = s('certify');
  if (certify !== undefined && !['1', '2', '3'].includes(certify)) throw new UsageError('--certify must be 1, 2 or 3');
  const hash = (s('hash') ?? 'SHA-256').toUpperCase();
  if (hash !== 'SHA-256' && hash !== 'SHA-384' && hash !== 'SHA-512')
    throw new UsageError('--hash must be SHA-256, SHA-384 or SHA-512 (SHA-1 is refused)');
  if (s('seal') && !s('visible') && !s('field'))
    throw new UsageError('--seal needs a visible signature: --visible or --field');
  return {
    input,
    output,
    key,
    level: level(s('level'), tsa, LEVELS),
    tsa,
    field: s('field'),
    visible: s('visible') !== undefined ? parseVisible(s('visible')!) : undefined,
    seal: s('seal'),
    name: s('name'),
    reason: s('reason'),
    location: s('location'),
    certify: certify !== undefined ? (Number(certify) as 1 | 2 | 3) : undefined,
    pdfPassword: s('pdf-password'),
    hash
  };
}

export function parseExtendArgs(argv: readonly string[]): ExtendCommand {
  const { values: v, positionals } = parse(argv, {
    output: { type: 'string', short: 'o' },
    level: { type: 'string' },
    tsa: { type: 'string' },
    'pdf-password': { type: 'string' }
  });
  const input = one(positionals);
  if (!v.output) throw new UsageError('-o OUT.pdf is required');
  if (!v.level) throw new UsageError('--level B-LT|B-LTA is required');
  const tsa = url(v.tsa as string | undefined);
  const l = level(v.level as string, tsa, ['B-LT', 'B-LTA'], true) as 'B-LT' | 'B-LTA';
  return { input, output: v.output as string, level: l, tsa, pdfPassword: v['pdf-password'] as string | undefined };
}
