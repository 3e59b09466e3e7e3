import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../validate/testing-corpus.ts';
import { runVerify } from './verify.ts';

const work = mkdtempSync(join(tmpdir(), 'inkan-verify-'));
const dir = corpusDir();

async function run(args: string[], locale: 'ja' | 'en' = 'en') {
  let out = '';
  let err = '';
  const code = await runVerify(args, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    locale,
    now: () => new Date('2024-01-01T00:00:00Z')
  });
  return { code, out, err };
}

describe('inkan verify: usage and unreadable input exit 2', () => {
  it.each([
    [[]],
    [['a.pdf']],
    [['a.pdf', 'b.pdf', '--trust', 'r.pem']],
    [['a.pdf', '--trust', 'r.pem', '--at', 'yesterday']],
    [['a.pdf', '--trust', 'r.pem', '--bogus']]
  ])('%j', async (args) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain('usage: inkan verify');
  });

  it('a file that is not a PDF', async () => {
    const f = join(work, 'x.pdf');
    writeFileSync(f, 'hello');
    const pem = join(work, 'none.pem');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n');
    const r = await run([f, '--trust', pem]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unreadable');
  });

  it('a missing file or a PEM without certificates', async () => {
    expect((await run([join(work, 'missing.pdf'), '--trust', join(work, 'missing.pem')])).code).toBe(2);
  });
});

if (!dir) {
  console.warn('\n!!! CORPUS ABSENT: inkan verify corpus cases SKIPPED !!!\n');
  it.skip('CORPUS ABSENT: inkan verify corpus cases skipped', () => {});
} else {
  const chain = join(dir, 'signed/itext/itext_validCertsChain.pem');
  const { readFileSync } = await import('node:fs');
  const blocks = readFileSync(chain, 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)!;
  const rootPem = join(work, 'itext-root.pem');
  writeFileSync(rootPem, blocks[2] + '\n');

  describe('inkan verify on real files', () => {
    it('a valid, trusted document: exit 0, JSON in the documented shape', async () => {
      const r = await run([
        join(dir, 'signed/itext/itext_validDoc.pdf'),
        '--trust',
        rootPem,
        '--json',
        '--at',
        '2024-01-01T00:00:00Z'
      ]);
      expect(r.code, r.err).toBe(0);
      const json = JSON.parse(r.out);
      expect(Object.keys(json)).toEqual(['file', 'revisions', 'modifiedAfterSigning', 'verdict', 'signatures']);
      expect(json).toMatchObject({ revisions: 1, modifiedAfterSigning: false, verdict: 'TOTAL-PASSED' });
      expect(Object.keys(json.signatures[0])).toEqual([
        'field',
        'type',
        'signer',
        'signingTime',
        'intact',
        'signatureValid',
        'trusted',
        'timestamp',
        'level',
        'indication',
        'subIndication',
        'coversWholeFile',
        'revision',
        'modifications'
      ]);
      expect(json.signatures[0]).toMatchObject({
        type: 'signature',
        intact: true,
        signatureValid: true,
        trusted: true
      });
    });

    it('an attack: exit 1 and a Japanese block per signature', async () => {
      const r = await run([join(dir, 'attacks/isa/itext_isaValidPdf.pdf'), '--trust', rootPem], 'ja');
      expect(r.code).toBe(1);
      expect(r.out).toContain('署名後に許可されていない変更があります');
      expect(r.out).toContain('[1] 署名');
    });

    it('an untrusted document: exit 1 (INDETERMINATE)', async () => {
      const r = await run([join(dir, 'signed/dss/dss_pades-bes.pdf'), '--trust', rootPem, '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.out).verdict).toBe('INDETERMINATE');
    });
  });
}
