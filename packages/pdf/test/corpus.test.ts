/**
 * Real-world corpus (../shared/corpus or $INKAN_CORPUS): every file either opens or fails with a typed
 * PdfError; every file that opens without repair takes a trivial incremental update that (a) keeps the
 * input as a prefix, (b) adds no qpdf --check problems beyond the input's, (c) re-parses with the new object.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  PdfError,
  PdfFile,
  IncrementalUpdate,
  dict,
  name,
  str,
  pages,
  pageAt,
  formFields,
  signatures,
  revisionEndingAt,
  signedBytes,
  signatureDict,
  addSignatureField,
  fillSignatureField,
  fillByteRange,
  fillContents,
  type PdfDict,
  type PdfString
} from '../src/index.ts';
import { qpdfCheck, qpdfJson } from './helpers.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const corpus = process.env.INKAN_CORPUS ?? resolve(repoRoot, '../shared/corpus');
const present = existsSync(join(corpus, 'parse/manifest.json'));

/** Passwords stated in parse/manifest.json ("what" column). */
const PASSWORDS: Record<string, string> = {
  'encrypted/qpdf_encrypted-40-bit-R3.pdf': '623',
  'encrypted/qpdf_20-pages.pdf': 'user',
  'encrypted/qpdf_enc-XI-R6_V5_U-view_O-master.pdf': 'view',
  'encrypted/pdfjs_saslprep-r6.pdf': 'S\u00aaSL\u00adprep',
  'encrypted/pdfjs_issue6010_2.pdf': '\u00e6\u00f8\u00e5',
  'encrypted/pdfjs_issue21579.pdf': 'p\u00e4ssw\u00f6rt',
  'encrypted/pdfjs_bug1782186.pdf': 'Hello',
  'encrypted/pyhanko_minimal-rc4.pdf': 'usersecret',
  'encrypted/pyhanko_minimal-aes256.pdf': 'usersecret',
  'encrypted/pyhanko_minimal-aes256-malformed-perms.pdf': 'usersecret',
  'encrypted/pypdf_libreoffice-writer-password.pdf': 'openpassword',
  'encrypted/dss_open_protected.pdf': ' '
};
/** Files where a typed refusal is the expected outcome. */
const EXPECTED_ERRORS: Record<string, string> = {
  'encrypted/pyhanko_minimal-pubkey-aes256.pdf': 'PDF_UNSUPPORTED',
  'encrypted/pyhanko_minimal-aes256-malformed-perms.pdf': 'PDF_MALFORMED'
};

/** qpdf exit codes ordered by severity: 0 clean < 3 warnings < 2 errors. */
const severity = (code: number): number => ({ 0: 0, 3: 1, 2: 2 })[code] ?? 3;

function typed(e: unknown): string {
  if (e instanceof PdfError) return e.code;
  throw e;
}

if (!present) {
  console.warn(`\n!!! CORPUS ABSENT: ${corpus} not found — set INKAN_CORPUS to run the real-world corpus tests !!!\n`);
  it.skip(`CORPUS ABSENT (${corpus})`, () => {});
} else {
  const manifest = JSON.parse(readFileSync(join(corpus, 'parse/manifest.json'), 'utf8')) as { file: string }[];

  describe('corpus/parse: open, walk, incremental update', () => {
    it.each(manifest.map((m) => m.file))('%s', (file) => {
      const bytes = new Uint8Array(readFileSync(join(corpus, 'parse', file)));
      const password = PASSWORDS[file];
      let f: PdfFile;
      try {
        f = PdfFile.open(bytes, { password });
      } catch (e) {
        expect(typed(e)).toBe(EXPECTED_ERRORS[file] ?? 'an opened file');
        return;
      }
      expect(EXPECTED_ERRORS[file]).toBeUndefined();
      for (const walk of [() => pages(f), () => formFields(f), () => signatures(f)]) {
        try {
          walk();
        } catch (e) {
          typed(e);
        }
      }
      try {
        const all = pages(f);
        if (all.length) expect(pageAt(f, all.length - 1)?.ref.key).toBe(all[all.length - 1].ref.key);
        if (all.length) expect(pageAt(f, 0)?.ref.key).toBe(all[0].ref.key);
      } catch (e) {
        typed(e);
      }
      if (f.repaired) {
        // Refused by default; when allowed, the new section lists every object (no reliance on broken offsets).
        expect(() => new IncrementalUpdate(f)).toThrowError(expect.objectContaining({ code: 'PDF_MALFORMED' }));
      }
      const up = new IncrementalUpdate(f, { allowRepaired: true });
      const ref = up.add(dict({ Type: name('InkanProbe'), Note: str('probe ✓') }));
      // The signer's real path: a signature placeholder in an existing empty field or a new one.
      const sig = up.addSignature(signatureDict({ reason: 'corpus' }), { contentsSize: 64 });
      const empty = formFields(f).find((x) => x.ft === 'Sig' && x.terminal && !x.value && x.ref);
      let fieldName = empty?.name ?? 'InkanCorpusSig';
      let fieldOk = true;
      try {
        if (empty) fillSignatureField(up, empty.name, sig);
        else addSignatureField(up, { name: fieldName, sig });
      } catch (e) {
        typed(e); // e.g. no readable page for the widget
        fieldOk = false;
        fieldName = '';
      }
      const res = up.write();
      const out = res.bytes;
      const br = fillByteRange(out, res.signature!);
      fillContents(out, res.signature!, Uint8Array.of(0x30, 0x03, 2, 1, 7));
      expect(Buffer.from(out.subarray(0, bytes.length)).equals(Buffer.from(bytes)), 'prefix').toBe(true);
      const after = qpdfCheck(out, password);
      // only when the output is not clean does the input's own state matter (saves half the qpdf runs)
      if (after.code !== 0)
        expect(severity(after.code), after.out).toBeLessThanOrEqual(severity(qpdfCheck(bytes, password).code));
      const g = PdfFile.open(out, { password });
      expect(g.repaired).toBe(false);
      const probe = g.get(ref) as PdfDict;
      expect((probe.get('Note') as PdfString).text()).toBe('probe ✓');
      if (!f.repaired) expect(g.revisions.length).toBe(f.revisions.length + 1);
      if (fieldOk) {
        const mine = signatures(g).find((x) => x.fieldNames.includes(fieldName));
        expect(mine?.byteRange).toEqual(br);
        expect([...mine!.contents!.bytes]).toEqual([0x30, 0x03, 2, 1, 7]);
        expect(revisionEndingAt(g, br[2] + br[3])).toBe(g.revisions.length - 1);
      }
    });
  });

  let streamsCompared = 0;
  describe('corpus/parse: decoded stream data equals qpdf --json (decode level "generalized")', () => {
    // Small files only (speed). The one damaged-endstream sample legitimately differs by one EOL byte.
    const skip = new Set(['broken-xref/qpdf_xref-compressed-in-compressed.pdf']);
    const small = (manifest as { file: string; size: number }[]).filter((m) => m.size < 40_000 && !skip.has(m.file));
    it.each(small.map((m) => m.file))('%s', (file) => {
      const path = join(corpus, 'parse', file);
      const password = PASSWORDS[file];
      let f: PdfFile;
      try {
        f = PdfFile.open(new Uint8Array(readFileSync(path)), { password });
      } catch {
        return; // typed refusals are covered above
      }
      if (f.repaired) return;
      const q = qpdfJson(path, password);
      if (!q) return; // qpdf itself gives up on this file
      let compared = 0;
      for (const [key, v] of Object.entries(q)) {
        const m = /^obj:(\d+) \d+ R$/.exec(key);
        if (!m || !v.stream || v.stream.dict['/Filter'] || v.stream.data === undefined) continue;
        const o = f.get(Number(m[1]));
        if (o?.kind !== 'stream') continue;
        expect(Buffer.from(f.decode(o)).toString('base64'), `${file} ${key}`).toBe(v.stream.data);
        compared++;
      }
      streamsCompared += compared;
    });
    it('compared a meaningful number of streams', () => expect(streamsCompared).toBeGreaterThan(200));
  });

  describe('corpus/signed: every signature located exactly (ByteRange gap = /Contents token, ends a revision)', () => {
    const signed = JSON.parse(readFileSync(join(corpus, 'signed/manifest.json'), 'utf8')) as { file: string }[];
    const pw: Record<string, string> = { 'itext/itext_encryptedDoc.pdf': '123' };
    it.each(signed.map((m) => m.file))('%s', (file) => {
      const bytes = new Uint8Array(readFileSync(join(corpus, 'signed', file)));
      let f: PdfFile;
      try {
        f = PdfFile.open(bytes, { password: pw[file], recoverUnlinked: true });
      } catch (e) {
        expect(typed(e)).toBe('PDF_UNSUPPORTED'); // the public-key encrypted sample
        return;
      }
      for (const s of signatures(f)) {
        const br = s.byteRange;
        expect(s.offsetsInFile).toBe(true);
        expect([br[0], br[1], br[2]]).toEqual([0, s.contents!.start, s.contents!.end]);
        expect(revisionEndingAt(f, br[2] + br[3]), `${s.fieldNames}`).toBeDefined();
        expect(signedBytes(bytes, br).reduce((n, p) => n + p.length, 0)).toBe(br[1] + br[3]);
        expect(s.contents!.bytes[0]).toBe(0x30); // DER SEQUENCE, padding cut
      }
    });
  });

  describe('corpus/attacks: terminate with a result or a typed error', () => {
    const attacks = JSON.parse(readFileSync(join(corpus, 'attacks/manifest.json'), 'utf8')) as { file: string }[];
    it.each(attacks.map((m) => m.file).filter((n) => !n.startsWith('parser-dos/')))('%s', (file) => {
      try {
        const bytes = new Uint8Array(readFileSync(join(corpus, 'attacks', file)));
        for (const recoverUnlinked of [false, true]) {
          const f = PdfFile.open(bytes, { recoverUnlinked });
          for (let r = 0; r < f.revisions.length; r++)
            for (const s of signatures(f, r)) expect(Array.isArray(s.byteRange)).toBe(true);
        }
      } catch (e) {
        typed(e);
      }
    });
  });

  describe('corpus/attacks/parser-dos: terminate with a result or a typed error', () => {
    const dir = join(corpus, 'attacks/parser-dos');
    it.each(readdirSync(dir).filter((n) => n.endsWith('.pdf')))('%s', (file) => {
      const bytes = new Uint8Array(readFileSync(join(dir, file)));
      try {
        const f = PdfFile.open(bytes);
        for (const walk of [() => pages(f), () => formFields(f), () => signatures(f)]) {
          try {
            walk();
          } catch (e) {
            typed(e);
          }
        }
      } catch (e) {
        typed(e);
      }
    });
  });
}
