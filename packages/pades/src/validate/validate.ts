import { dss, PdfError, PdfFile, signatures, streamBytes, type SignatureInfo } from '@inkan/pdf';
import { analyzeRevision, type Change } from './modifications/diff.ts';
import { modificationsAfter } from './modifications/permissions.ts';
import { pdfRevisionStore } from './modifications/pdf-store.ts';
import type { Roles } from './modifications/roles.ts';
import type { DocumentReport, SignatureFacts } from './report.ts';
import { signatureFacts, webCryptoRangeDigest, type RangeDigest, type SignatureContext } from './signature.ts';
import { establishTrust } from './trust.ts';
import { deriveDocumentVerdict, withVerdict } from './verdict.ts';

export type { RangeDigest } from './signature.ts';

/** Fetches revocation data over the network (`--online`): a WHATWG fetch, injected, never global. */
export type RevocationFetcher = typeof fetch;

export interface ValidateOptions {
  /** DER certificates the caller trusts (roots). Nothing is trusted by default. */
  trustAnchors: readonly Uint8Array[];
  /** Validation time (`--at`); default `now()`. */
  at?: Date;
  now?: () => Date;
  /** Only with `--online`: revocation fetching. Without it, only embedded DSS/CMS data is used. */
  fetcher?: RevocationFetcher;
  /** More certificates to build paths with (intermediates). */
  extraCertificates?: readonly Uint8Array[];
  /** Password of an encrypted PDF. */
  password?: string;
  crypto?: Crypto;
  /** How the signed ranges are hashed (default WebCrypto; the Node CLI passes a streaming node:crypto one). */
  digestRanges?: RangeDigest;
}

/**
 * Validates every signature and document timestamp of a PDF (ETSI EN 319 102-1 on ISO 32000-2 §12.8):
 * facts per signature, a whitelist analysis of every later revision, and the derived verdicts.
 * Never throws for a bad document: unreadable input becomes `error` + TOTAL-FAILED.
 *
 * @example
 * const report = await validatePdf(bytes, { trustAnchors: [rootDer] });
 * if (report.verdict === 'TOTAL-PASSED') …
 */
export async function validatePdf(bytes: Uint8Array, opts: ValidateOptions): Promise<DocumentReport> {
  const validationTime = opts.at ?? (opts.now ?? (() => new Date()))();
  const failed = (error: string, revisions = 0): DocumentReport => ({
    revisions,
    signatures: [],
    error,
    validationTime: validationTime.toISOString(),
    ...deriveDocumentVerdict([], error)
  });
  let file: PdfFile;
  let sigs: SignatureInfo[];
  try {
    file = PdfFile.open(bytes, { password: opts.password, recoverUnlinked: true });
    sigs = withHiddenSignatures(file, signatures(file));
  } catch (e) {
    return failed(e instanceof PdfError ? e.code : 'PDF_MALFORMED');
  }
  const revisionEnds = file.revisions.map((r) => [eofStart(bytes, r.end), whitespaceEnd(bytes, r.end)] as const);
  const store = { certs: [] as Uint8Array[], crls: [] as Uint8Array[], ocsps: [] as Uint8Array[] };
  try {
    const d = dss(file);
    if (d)
      Object.assign(store, {
        certs: streamBytes(file, d.certs),
        crls: streamBytes(file, d.crls),
        ocsps: streamBytes(file, d.ocsps)
      });
  } catch {
    /* an unreadable DSS adds no validation data */
  }
  const ctx: SignatureContext = {
    bytes,
    file,
    revisionEnds,
    trustAnchors: opts.trustAnchors,
    extraCertificates: [...store.certs, ...(opts.extraCertificates ?? [])],
    validationTime,
    crypto: opts.crypto,
    digestRanges: opts.digestRanges ?? webCryptoRangeDigest(opts.crypto)
  };
  const facts: SignatureFacts[] = [];
  for (const s of sigs) facts.push(await signatureFacts(s, ctx));

  const changes = laterChanges(file, Math.min(...facts.map((f) => f.revision)), bytes.length);
  for (const f of facts.filter((x) => x.type === 'docTimeStamp')) {
    await establishTrust(f, { ...ctx, crls: store.crls, ocsps: store.ocsps, fetch: opts.fetcher });
  }
  proofOfExistence(facts);
  for (const f of facts) {
    if (f.type === 'signature') {
      await establishTrust(f, { ...ctx, crls: store.crls, ocsps: store.ocsps, fetch: opts.fetcher });
    }
    f.modifications = modificationsAfter(f, facts, changes);
    f.level = level(f, facts, changes);
  }
  const reports = facts.map(withVerdict);
  return {
    revisions: file.revisions.length,
    signatures: reports,
    error: null,
    validationTime: validationTime.toISOString(),
    ...deriveDocumentVerdict(reports)
  };
}

/**
 * Signatures of revisions that no /Prev chain reaches (an incremental-saving attack that rewrote the whole
 * cross-reference table): a conforming reader no longer sees them, but they were signed — report them so
 * the rewrite is judged as a change after signing instead of hiding the signature.
 */
function withHiddenSignatures(file: PdfFile, current: SignatureInfo[]): SignatureInfo[] {
  const seen = new Set(current.map((s) => s.ref?.key));
  const hidden: SignatureInfo[] = [];
  for (const r of file.revisions) {
    if (r.linked) continue;
    let found: SignatureInfo[];
    try {
      found = signatures(file, r.index);
    } catch {
      continue; // an unreadable hidden revision hides nothing we could check
    }
    for (const s of found) {
      if (s.ref && seen.has(s.ref.key)) continue;
      seen.add(s.ref?.key);
      hidden.push(s);
    }
  }
  return [...hidden, ...current];
}

/** Offset of `%%EOF`'s end before the end-of-line that `end` includes. */
function eofStart(b: Uint8Array, end: number): number {
  let p = end;
  while (p > 0 && (b[p - 1] === 0x0a || b[p - 1] === 0x0d)) p--;
  return p;
}

/** End of the run of end-of-line characters starting at `from` (writers pad after `%%EOF` differently). */
function whitespaceEnd(b: Uint8Array, from: number): number {
  let p = from;
  while (p < b.length && (b[p] === 0x0a || b[p] === 0x0d || b[p] === 0x20)) p++;
  return p;
}

/** Classified changes of every revision after `from`, plus bytes after the last revision. */
function laterChanges(file: PdfFile, from: number, size: number): Change[] {
  const out: Change[] = [];
  if (!Number.isFinite(from)) return out;
  const store = pdfRevisionStore(file);
  const memo = new Map<number, Roles>();
  for (let r = Math.max(1, from + 1); r < file.revisions.length; r++) {
    try {
      out.push(...analyzeRevision(store, r, memo));
    } catch (e) {
      const code = e instanceof PdfError ? e.code : 'ERROR';
      out.push({ revision: r, level: 'other', code: 'REVISION_UNREADABLE', detail: code, fields: [] });
    }
  }
  const last = file.revisions.at(-1);
  if (last && size > last.end && hasContent(file, last.end)) {
    out.push({
      revision: file.revisions.length,
      level: 'other',
      code: 'UNEXPLAINED_TRAILING_BYTES',
      detail: `${size - last.end} bytes after the last %%EOF`,
      fields: []
    });
  }
  for (let r = Math.max(1, from + 1); r < file.revisions.length; r++) {
    const rev = file.revisions[r]!;
    const start = file.revisions[r - 1]!.end;
    const xrefAt = Math.min(...rev.sections.map((x) => x.offset));
    // Bytes before this revision's xref that its xref does not list: object definitions only a reader that
    // rebuilds the cross-reference table would see (ISA variant with an empty or broken xref).
    if (rev.entries.size === 0 && xrefAt > start && hasContent(file, start, xrefAt)) {
      out.push({
        revision: r,
        level: 'other',
        code: 'UNLISTED_OBJECTS',
        detail: `${xrefAt - start} bytes of objects that the cross-reference section does not list`,
        fields: []
      });
    }
  }
  return out;
}

function hasContent(file: PdfFile, from: number, to = file.bytes.length): boolean {
  const b = file.bytes;
  for (let i = from; i < to; i++)
    if (b[i] !== 0x0a && b[i] !== 0x0d && b[i] !== 0x20 && b[i] !== 0 && b[i] !== 0x09) return true;
  return false;
}

/** A valid document timestamp is a proof of existence for every signature in the revisions it covers. */
function proofOfExistence(facts: SignatureFacts[]): void {
  for (const ts of facts) {
    // Only a timestamp that is itself valid and trusted proves anything (ETSI EN 319 102-1 §5.6.2.4).
    const proves = ts.timestamp?.valid && ts.timestamp.trusted && ts.intact && ts.coverage.wellFormed;
    if (ts.type !== 'docTimeStamp' || !proves) continue;
    for (const f of facts) {
      if (f === ts || f.revision >= ts.revision) continue;
      if (!f.provenTime || Date.parse(ts.timestamp!.time!) < Date.parse(f.provenTime))
        f.provenTime = ts.timestamp!.time;
    }
  }
}

/** ETSI EN 319 142-1 §6: B-B, B-T (timestamp), B-LT (DSS after it), B-LTA (document timestamp after the DSS). */
function level(f: SignatureFacts, all: readonly SignatureFacts[], changes: readonly Change[]): SignatureFacts['level'] {
  if (
    f.type !== 'signature' ||
    f.subFilter !== 'ETSI.CAdES.detached' ||
    !f.formatOk ||
    !f.intact ||
    !f.signatureValid
  ) {
    return null;
  }
  const laterTs = all.filter(
    (t) => t.type === 'docTimeStamp' && t.revision > f.revision && t.timestamp?.valid && t.intact
  );
  if (!f.timestamp?.valid && laterTs.length === 0) return 'B-B';
  const dssRev = changes.find((c) => c.revision > f.revision && c.code === 'DSS_UPDATED')?.revision;
  if (dssRev === undefined) return 'B-T';
  return laterTs.some((t) => t.revision >= dssRev) ? 'B-LTA' : 'B-LT';
}
