/**
 * Independent judges for signed PDFs, shared by the signing, validation and trust-services tests.
 *
 * Nobody on this project wrote these tools: qpdf, poppler's pdfsig (NSS), openssl cms/ts, mutool, and the
 * reference RFC 3161 TSA (`openssl ts -reply` behind `../shared/tools/tsa/tsa-server.py`). This file only
 * drives them. The shared tools folder is read-only, so {@link startJudges} copies it to a temp dir, creates
 * the openssl test PKI there and (optionally) starts the reference TSA on a free loopback port.
 *
 * pyHanko is not installed on these machines, so `verify-pdf.sh --require-pades` always fails with
 * "--require-pades needs pyHanko". {@link verifyPdf} therefore checks the PAdES level itself, from facts the
 * independent tools establish (openssl's verdict on the signature time-stamp, the /DSS that qpdf reads, a
 * verified document time-stamp after it), and reports which facts it used.
 *
 * @example
 * const j = await startJudges({ tsa: true });
 * const v = await verifyPdf('out.pdf', j.rootPem, { level: 'B-T' });
 * expect(v.verdict, v.output).toBe('PASS');
 * await j.stop();
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
const LEVELS: readonly PadesLevel[] = ['B-B', 'B-T', 'B-LT', 'B-LTA'];

/** The repository root (this file is packages/pades/test/judges.ts). */
export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');

/** `../shared` beside the repository, or `INKAN_SHARED` (the corpus may also be moved with `INKAN_CORPUS`). */
export function sharedDir(): string {
  return process.env.INKAN_SHARED ?? resolve(repoRoot, '../shared');
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell; never throws on a non-zero exit. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}
): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      cmd,
      args,
      {
        env: { ...process.env, ...opts.env },
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8'
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 127) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      }
    );
  });
}

/** A free TCP port on 127.0.0.1 (bind to 0, read, close). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => done(port));
    });
  });
}

export interface Judges {
  /** The writable copy of `shared/tools`. */
  dir: string;
  /** make-pki.sh's root CA (PEM path): trust anchor for the signer, TSA and CRL below. */
  rootPem: string;
  /** PKCS#12 of "Test Signer" (password `test`), issued by rootPem. */
  signerP12: string;
  signerKeyPem: string;
  signerCertPem: string;
  /** The reference TSA's certificate chain (tsa.pem + root). */
  tsaChainPem: string;
  /** `http://127.0.0.1:PORT/tsa` when started with `tsa: true`, else undefined. */
  tsaUrl?: string;
  /** Base URL of the helper server (CRLs at /crl/root-ca.crl, certificates at /cert/NAME.cer). */
  baseUrl?: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Copies the shared tools, creates the openssl test PKI (CRL distribution points point at the chosen port)
 * and, with `tsa: true`, starts the reference TSA. Call `stop()` in `afterAll`.
 */
export async function startJudges(opts: { tsa?: boolean } = {}): Promise<Judges> {
  const src = join(sharedDir(), 'tools');
  if (!existsSync(join(src, 'verify-pdf.sh'))) throw new Error(`judges: shared tools not found at ${src}`);
  const dir = mkdtempSync(join(tmpdir(), 'inkan-judges-'));
  cpSync(src, dir, { recursive: true });
  const port = await freePort();
  const pki = await run('bash', [join(dir, 'pki/make-pki.sh')], { env: { CRL_PORT: String(port) } });
  if (pki.code !== 0) throw new Error(`judges: make-pki.sh failed: ${pki.stderr}`);
  let tsaUrl: string | undefined;
  let baseUrl: string | undefined;
  if (opts.tsa) {
    const st = await run('bash', [join(dir, 'tsa/tsa-ctl.sh'), 'start', String(port)]);
    if (st.code !== 0) throw new Error(`judges: TSA did not start: ${st.stdout} ${st.stderr}`);
    baseUrl = `http://127.0.0.1:${port}`;
    tsaUrl = `${baseUrl}/tsa`;
  }
  return {
    dir,
    port,
    rootPem: join(dir, 'pki/root-ca.pem'),
    signerP12: join(dir, 'pki/signer.p12'),
    signerKeyPem: join(dir, 'pki/signer.key'),
    signerCertPem: join(dir, 'pki/signer.pem'),
    tsaChainPem: join(dir, 'pki/tsa-chain.pem'),
    tsaUrl,
    baseUrl,
    async stop() {
      if (opts.tsa) await run('bash', [join(dir, 'tsa/tsa-ctl.sh'), 'stop', String(port)]);
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

let toolsCopy: string | undefined;
/** A private writable copy of the shared tools (verify-pdf.sh etc.), made once per process. */
function tools(): string {
  if (!toolsCopy) {
    toolsCopy = mkdtempSync(join(tmpdir(), 'inkan-verify-'));
    cpSync(join(sharedDir(), 'tools'), toolsCopy, { recursive: true });
  }
  return toolsCopy;
}

// ---------------------------------------------------------------------------------------------- qpdf

export interface QpdfCheck {
  /** 0 = clean, 2 = errors, 3 = warnings (qpdf's exit codes). */
  code: number;
  warnings: string[];
  errors: string[];
  output: string;
}

/** `qpdf --check FILE` (with `--password` for encrypted files). */
export async function qpdfCheck(file: string, password?: string): Promise<QpdfCheck> {
  const args = ['--check', file];
  if (password !== undefined) args.unshift(`--password=${password}`);
  const r = await run('qpdf', args);
  const lines = (r.stdout + r.stderr).split('\n').map((l) => l.trim());
  return {
    code: r.code,
    warnings: lines.filter((l) => l.startsWith('WARNING')).map(stripFile),
    errors: lines.filter((l) => /^(qpdf:|ERROR)/.test(l) && !l.includes('operation succeeded')).map(stripFile),
    output: r.stdout + r.stderr
  };
}
function stripFile(l: string): string {
  return l.replace(/^WARNING: [^:]*: /, 'WARNING: ').replace(/\(offset \d+\)/g, '(offset N)');
}

/**
 * qpdf's judgement of OUT compared with IN: no errors, and no warning that IN did not already have.
 * Returns the new problems (empty = fine).
 */
export async function qpdfNewProblems(input: string, output: string, password?: string): Promise<string[]> {
  const [a, b] = [await qpdfCheck(input, password), await qpdfCheck(output, password)];
  const old = new Set(a.warnings.map(normalizeWarning));
  const problems = b.warnings.filter((w) => !old.has(normalizeWarning(w)));
  if (b.code === 2 && a.code !== 2) problems.push(...b.errors, 'qpdf --check exit 2 (errors)');
  if (b.code !== 0 && b.code !== 3 && b.code !== 2) problems.push(`qpdf exit ${b.code}: ${b.output.slice(0, 300)}`);
  return problems;
}
function normalizeWarning(w: string): string {
  return w.replace(/\d+/g, 'N');
}

// ---------------------------------------------------------------------------------------------- pdfsig

export interface PdfsigSignature {
  n: number;
  field?: string;
  valid: boolean;
  trusted: boolean;
  total: boolean;
  signatureValidation?: string;
  certificateValidation?: string;
  type?: string;
}

const nssDbs = new Map<string, Promise<string>>();
/** A throw-away NSS database trusting only `rootPem` (one per PEM path per process). */
function nssDb(rootPem: string): Promise<string> {
  let p = nssDbs.get(rootPem);
  if (!p) {
    p = (async () => {
      const db = mkdtempSync(join(tmpdir(), 'inkan-nss-'));
      const mk = await run('bash', [join(tools(), 'tools/nssdb.sh'), 'create', db, rootPem]);
      if (mk.code !== 0) throw new Error(`nssdb.sh failed: ${mk.stderr}`);
      return db;
    })();
    nssDbs.set(rootPem, p);
  }
  return p;
}

/** pdfsig with a throw-away NSS database that trusts only `rootPem` (`-upw` for encrypted files). */
export async function pdfsig(
  file: string,
  rootPem: string,
  password?: string
): Promise<{ signatures: PdfsigSignature[]; output: string }> {
  const db = await nssDb(rootPem);
  const pw = password !== undefined ? ['-opw', password, '-upw', password] : [];
  const r = await run('pdfsig', ['-nssdir', `sql:${db}`, ...pw, file]);
  const sigs: PdfsigSignature[] = [];
  let cur: PdfsigSignature | undefined;
  for (const line of r.stdout.split('\n')) {
    const m = /^Signature #(\d+):/.exec(line);
    if (m) {
      cur = { n: Number(m[1]), valid: false, trusted: false, total: false };
      sigs.push(cur);
      continue;
    }
    if (!cur) continue;
    const t = line.trim();
    if (t === '- Total document signed') cur.total = true;
    const kv = /^- ([^:]+): (.*)$/.exec(t);
    if (!kv) continue;
    const [, k, v] = kv;
    if (k === 'Signature Validation') {
      cur.signatureValidation = v;
      cur.valid = v === 'Signature is Valid.';
    } else if (k === 'Certificate Validation') {
      cur.certificateValidation = v;
      cur.trusted = v === 'Certificate is Trusted.';
    } else if (k === 'Signature Field Name') cur.field = v;
    else if (k === 'Signature Type') cur.type = v;
  }
  return { signatures: sigs, output: r.stdout + r.stderr };
}

// ---------------------------------------------------------------------------------------------- openssl

/** `openssl cms -verify -binary -inform DER -content SIGNED -CAfile ROOT -purpose any` on a detached CMS. */
export async function opensslCmsVerify(cmsDer: string, signedBytes: string, rootPem: string): Promise<RunResult> {
  return run(
    'openssl',
    [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      cmsDer,
      '-content',
      signedBytes,
      '-CAfile',
      rootPem,
      '-purpose',
      'any',
      '-out',
      '/dev/null'
    ],
    { env: { OPENSSL_CONF: '/dev/null' } }
  );
}

/** `openssl ts -verify -data DATA -in TOKEN -token_in -CAfile ROOT` on a time-stamp token (a CMS SignedData). */
export async function opensslTsVerify(tokenDer: string, data: string, rootPem: string): Promise<RunResult> {
  const r = await run('openssl', ['ts', '-verify', '-data', data, '-in', tokenDer, '-token_in', '-CAfile', rootPem], {
    env: { OPENSSL_CONF: '/dev/null' }
  });
  return { ...r, code: r.code === 0 && r.stdout.includes('Verification: OK') ? 0 : r.code || 1 };
}

// ---------------------------------------------------------------------------------------------- verify-pdf.sh

interface ExtractedSignature {
  index: number;
  kind: 'signature' | 'doc-timestamp';
  byte_range: number[];
  covers_whole_file?: boolean;
  subfilter?: string;
  field?: string;
  field_object?: string;
  errors: string[];
}
interface VerifyReport {
  verdict: 'PASS' | 'FAIL';
  failures: string[];
  warnings: string[];
  summary_lines: string[];
  extract: { signatures: ExtractedSignature[] };
  openssl: Record<string, { cms?: string; chain?: string; sig_tst?: string; ts_verify?: string; imprint?: string }>;
}

export interface PdfVerdict {
  /** The judges' verdict after the PAdES-level check (see the module comment). */
  verdict: 'PASS' | 'FAIL';
  /** verify-pdf.sh's exit code (0 PASS, 1 FAIL, 2 usage). */
  exitCode: number;
  failures: string[];
  /** The per-tool lines (`pdfsig: sig1 valid trusted total-document`, …). */
  lines: string[];
  /** Level reached by every signature (facts below), when `level` was asked. */
  levels: { sig: number; level: PadesLevel | 'none'; facts: string[] }[];
  /** Everything printed, for assertion messages. */
  output: string;
  report: VerifyReport;
}

/**
 * Runs `verify-pdf.sh FILE ROOT -q --json …` and, when `level` is given, checks that every signature
 * reaches it. Without pyHanko, verify-pdf.sh cannot judge levels nor tell a DSS-only trailing revision
 * from any other edit; both are decided here from independent facts:
 *  - B-T: openssl `ts -verify` of the signature time-stamp token succeeded (verify-pdf's `sig-tst=ok`);
 *  - B-LT: the final catalog has a /DSS (read by qpdf) holding certificates and CRLs or OCSP responses, and
 *    every object changed after the signature is the catalog (only /DSS added) or reachable only from /DSS;
 *  - B-LTA: additionally a document time-stamp covering a revision that already has the /DSS verifies.
 * With `allowLtaUpdates`, an uncovered tail passes when that same DSS/document-time-stamp-only rule holds.
 */
export async function verifyPdf(
  file: string,
  rootPem: string,
  opts: { level?: PadesLevel; allowLtaUpdates?: boolean } = {}
): Promise<PdfVerdict> {
  const json = join(mkdtempSync(join(tmpdir(), 'inkan-vp-')), 'report.json');
  const r = await run('bash', [join(tools(), 'verify-pdf.sh'), file, rootPem, '-q', '--no-pyhanko', '--json', json], {
    timeoutMs: 300_000
  });
  if (r.code === 2 || !existsSync(json)) throw new Error(`verify-pdf.sh usage error: ${r.stdout}${r.stderr}`);
  const report = JSON.parse(readFileSync(json, 'utf8')) as VerifyReport;
  rmSync(join(json, '..'), { recursive: true, force: true });
  const failures = report.failures.slice();
  const output: string[] = [r.stdout];
  const levels: PdfVerdict['levels'] = [];
  const needTail = opts.level === 'B-LT' || opts.level === 'B-LTA' || opts.allowLtaUpdates;
  const tail = needTail ? await dssTail(file, report) : undefined;
  if (tail) output.push(`judges: trailing revisions after the last signature: ${tail.note}`);
  // Accept an uncovered tail that is only DSS / document time-stamps (what --allow-lta-updates means).
  const lastIsSig = report.extract.signatures.at(-1)?.kind === 'signature';
  if ((opts.allowLtaUpdates || opts.level === 'B-LT') && tail?.dssOnly && lastIsSig) {
    for (let i = failures.length - 1; i >= 0; i--) if (failures[i].startsWith('coverage:')) failures.splice(i, 1);
  }
  if (opts.level) {
    for (const s of report.extract.signatures.filter((x) => x.kind === 'signature')) {
      const o = report.openssl[String(s.index)] ?? {};
      const facts: string[] = [];
      let level: PadesLevel | 'none' = 'none';
      if (o.cms === 'ok' && s.subfilter?.replace(/^\//, '') === 'ETSI.CAdES.detached') {
        level = 'B-B';
        facts.push('openssl cms ok, SubFilter ETSI.CAdES.detached');
        if (o.sig_tst === 'ok') {
          level = 'B-T';
          facts.push('openssl ts -verify of the signature time-stamp ok');
          const end = s.byte_range[2] + s.byte_range[3];
          if (tail?.dss && tail.dssAfter > end && tail.dssOnly) {
            level = 'B-LT';
            facts.push(`qpdf: /DSS with ${tail.note}`);
            const lta = report.extract.signatures.find(
              (d) => d.kind === 'doc-timestamp' && d.byte_range[2] + d.byte_range[3] >= tail.dssAfter
            );
            if (lta && report.openssl[String(lta.index)]?.ts_verify === 'ok') {
              level = 'B-LTA';
              facts.push(`document time-stamp sig${lta.index} over the DSS verifies`);
            }
          }
        }
      }
      levels.push({ sig: s.index, level, facts });
      output.push(`judges: sig${s.index} PAdES ${level} (${facts.join('; ')})`);
      if (LEVELS.indexOf(level as PadesLevel) < LEVELS.indexOf(opts.level))
        failures.push(`sig${s.index}: PAdES level ${level} < required ${opts.level}`);
    }
  }
  return {
    verdict: failures.length ? 'FAIL' : 'PASS',
    exitCode: r.code,
    failures,
    lines: report.summary_lines,
    levels,
    output: [...output, failures.length ? `failures:\n  ${failures.join('\n  ')}` : 'judges: PASS'].join('\n'),
    report
  };
}

type QpdfObjects = Record<string, { value?: unknown; stream?: { dict: Record<string, unknown> } }>;

async function qpdfObjects(file: string): Promise<{ objects: QpdfObjects; root: string } | undefined> {
  const r = await run('qpdf', ['--json=2', '--json-key=qpdf', '--decode-level=none', file]);
  if (r.code !== 0 && r.code !== 3) return undefined;
  const j = JSON.parse(r.stdout) as { qpdf: [unknown, QpdfObjects] };
  const objects = j.qpdf[1];
  const trailer = objects['trailer']?.value as Record<string, unknown> | undefined;
  const root = typeof trailer?.['/Root'] === 'string' ? (trailer['/Root'] as string) : '';
  return { objects, root };
}

/** Facts about the /DSS and what changed after the last signature's coverage (see verifyPdf). */
async function dssTail(
  file: string,
  report: VerifyReport
): Promise<{ dss: boolean; dssOnly: boolean; dssAfter: number; note: string } | undefined> {
  const sigs = report.extract.signatures.filter((s) => s.kind === 'signature');
  const last = sigs.at(-1);
  if (!last) return undefined;
  const end = last.byte_range[2] + last.byte_range[3];
  const bytes = readFileSync(file);
  const prefix = join(mkdtempSync(join(tmpdir(), 'inkan-rev-')), 'rev.pdf');
  writeFileSync(prefix, bytes.subarray(0, end));
  try {
    const [before, after] = [await qpdfObjects(prefix), await qpdfObjects(file)];
    if (!before || !after) return undefined;
    const cat = after.objects[`obj:${after.root}`]?.value as Record<string, unknown> | undefined;
    const dssRef = cat?.['/DSS'];
    if (!dssRef) return { dss: false, dssOnly: false, dssAfter: 0, note: 'no /DSS in the catalog' };
    const deref = (v: unknown): unknown =>
      typeof v === 'string' && / R$/.test(v)
        ? (after.objects[`obj:${v}`]?.value ?? after.objects[`obj:${v}`]?.stream?.dict)
        : v;
    const dss = deref(dssRef) as Record<string, unknown>;
    const count = (k: string): number => {
      const a = deref(dss?.[k]);
      return Array.isArray(a) ? a.length : 0;
    };
    // objects reachable from the DSS and from the document time-stamp fields added after the signature
    // (not through /P or /Parent: pages and parent fields are judged below, key by key)
    const allowed = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v === 'string' && / R$/.test(v)) {
        if (allowed.has(v)) return;
        allowed.add(v);
        const o = after.objects[`obj:${v}`];
        walk(o?.value ?? o?.stream?.dict);
      } else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) if (k !== '/P' && k !== '/Parent') walk(x);
    };
    walk(dssRef);
    for (const d of report.extract.signatures)
      if (d.kind === 'doc-timestamp' && d.byte_range[2] + d.byte_range[3] > end && d.field_object) walk(d.field_object);
    const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);
    /** An array that only grew, by objects allowed above (a page's /Annots, the form's /Fields). */
    const appended = (prev: unknown, next: unknown): boolean =>
      Array.isArray(prev) &&
      Array.isArray(next) &&
      next.length >= prev.length &&
      prev.every((x, i) => same(x, next[i])) &&
      next.slice(prev.length).every((x) => typeof x === 'string' && allowed.has(x));
    /** Same dictionary except `keys`, each of which only grew (arrays) or is a dictionary judged likewise. */
    const sameExcept = (
      prev: unknown,
      next: unknown,
      keys: Record<string, readonly string[] | 'append' | 'any'>
    ): boolean => {
      if (!prev || !next || typeof prev !== 'object' || typeof next !== 'object') return false;
      const [a, b] = [prev as Record<string, unknown>, next as Record<string, unknown>];
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const rule = keys[k];
        if (same(a[k], b[k]) || rule === 'any') continue;
        if (rule === 'append' && (appended(a[k], b[k]) || (a[k] === undefined && appended([], b[k])))) continue;
        if (
          Array.isArray(rule) &&
          sameExcept(a[k] ?? {}, b[k], Object.fromEntries(rule.map((r) => [r, 'append' as const])))
        )
          continue;
        return false;
      }
      return true;
    };
    const changed: string[] = [];
    for (const [k, o] of Object.entries(after.objects)) {
      if (!k.startsWith('obj:')) continue;
      const ref = k.slice(4);
      const prev = before.objects[k];
      if (prev && same(prev, o)) continue;
      if (allowed.has(ref)) continue;
      const [pv, nv] = [prev?.value ?? prev?.stream?.dict, o.value ?? o.stream?.dict];
      // file structure, not document content: each revision of a file with cross-reference streams adds
      // its own /XRef stream (ISO 32000-2 §7.5.8), and objects inside an /ObjStm are judged one by one here
      const structural = o.stream?.dict['/Type'];
      if (!prev && (structural === '/XRef' || structural === '/ObjStm')) continue;
      // the catalog may gain /DSS, /Extensions and signature fields in a direct /AcroForm
      if (ref === after.root && sameExcept(pv, nv, { '/DSS': 'any', '/Extensions': 'any', '/AcroForm': ['/Fields'] }))
        continue;
      const type = (nv as Record<string, unknown> | undefined)?.['/Type'];
      if (type === '/Page' && sameExcept(pv, nv, { '/Annots': 'append' })) continue;
      if (sameExcept(pv, nv, { '/Fields': 'append', '/SigFlags': 'any' }) && (nv as Record<string, unknown>)['/Fields'])
        continue;
      if (appended(pv, nv)) continue; // an indirect /Annots or /Fields array
      changed.push(ref);
    }
    const dssOnly = changed.length === 0;
    // where the DSS was first written: the end of the first revision after `end` whose catalog has a /DSS, found
    // by letting qpdf read each revision's prefix (%%EOF boundaries) — the same whether the DSS object sits in
    // the file as text, in an object stream, or behind a cross-reference stream
    let dssAfter = end + 1;
    const text = bytes.subarray(end).toString('latin1');
    for (let at = text.indexOf('%%EOF'); at >= 0; at = text.indexOf('%%EOF', at + 5)) {
      const boundary = end + at + 5;
      writeFileSync(prefix, bytes.subarray(0, boundary));
      const rev = await qpdfObjects(prefix);
      const revCat = rev?.objects[`obj:${rev.root}`]?.value as Record<string, unknown> | undefined;
      if (revCat?.['/DSS']) {
        dssAfter = boundary;
        break;
      }
    }
    const note = `${count('/Certs')} cert(s), ${count('/CRLs')} CRL(s), ${count('/OCSPs')} OCSP response(s); changed outside the DSS: [${changed.join(', ')}]`;
    return {
      dss: count('/Certs') > 0 && count('/CRLs') + count('/OCSPs') > 0,
      dssOnly,
      dssAfter,
      note
    };
  } finally {
    rmSync(join(prefix, '..'), { recursive: true, force: true });
  }
}

/** DER bytes of every PEM block (`-----BEGIN …-----`) in `pem`, in order. */
export function pemBlocks(pem: string): Uint8Array[] {
  return [...pem.matchAll(/-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/g)].map(
    (m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'))
  );
}
