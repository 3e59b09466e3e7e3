/**
 * The `inkan` CLI end to end: exit statuses, the one-line `error CODE: message`, outputs judged by
 * verify-pdf.sh, and the installed bin (`npx inkan`) spawned once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot, run, startJudges, verifyPdf, type Judges } from '../../test/judges.ts';
import { pdfWithEmptySignatureFields, plainPdf } from '../../test/fixtures.ts';
import { main } from './main.ts';

let j: Judges;
let work: string;
let input: string;
beforeAll(async () => {
  j = await startJudges({ tsa: true });
  work = mkdtempSync(join(tmpdir(), 'inkan-cli-'));
  input = join(work, 'in.pdf');
  writeFileSync(input, await plainPdf(1));
});
afterAll(async () => j?.stop());

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('inkan sign', () => {
  it('signs with a PKCS#12 file at B-T by default when --tsa is given, visible with a seal', async () => {
    const o = join(work, 'bt.pdf');
    const r = await cli(
      'sign',
      input,
      '-o',
      o,
      '--p12',
      j.signerP12,
      '--password',
      'test',
      '--tsa',
      j.tsaUrl!,
      '--visible',
      '1:300,60,220,70',
      '--name',
      '山田 太郎',
      '--reason',
      '契約に同意します'
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('B-T');
    const v = await verifyPdf(o, j.rootPem, { level: 'B-T' });
    expect(v.verdict, v.output).toBe('PASS');
  });

  it('draws a user-supplied --seal PNG; a file that is not an image is refused with a code', async () => {
    execFileSync('pdftoppm', ['-r', '10', '-png', '-singlefile', input, join(work, 'seal')]);
    const o = join(work, 'seal.pdf');
    const args = ['--p12', j.signerP12, '--password', 'test', '--visible', '1:300,60,220,70', '--name', '山田'];
    const r = await cli('sign', input, '-o', o, ...args, '--seal', join(work, 'seal.png'));
    expect(r.code, r.err).toBe(0);
    expect((await verifyPdf(o, j.rootPem)).verdict).toBe('PASS');
    const bad = await cli('sign', input, '-o', join(work, 'bad-seal.pdf'), ...args, '--seal', input);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error PADES_BAD_IMAGE: /);
  });

  it('signs with PEM key + certificate + chain', async () => {
    const o = join(work, 'pem.pdf');
    const r = await cli(
      'sign',
      input,
      '-o',
      o,
      '--key',
      j.signerKeyPem,
      '--cert',
      j.signerCertPem,
      '--chain',
      j.rootPem,
      '--certify',
      '2'
    );
    expect(r.code, r.err).toBe(0);
    expect((await verifyPdf(o, j.rootPem, { level: 'B-B' })).verdict).toBe('PASS');
  });

  it('exit 1 with one line "error CODE: message" and no output file when the TSA is down', async () => {
    const o = join(work, 'none.pdf');
    const r = await cli(
      'sign',
      input,
      '-o',
      o,
      '--p12',
      j.signerP12,
      '--password',
      'test',
      '--tsa',
      `http://127.0.0.1:${await freePort()}/tsa`
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error TSA_UNAVAILABLE: \S.*$/);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(existsSync(o)).toBe(false);
  });

  it('exit 1 for a refused signature, a wrong key password, an unreadable input', async () => {
    const cert = join(work, 'p1.pdf');
    expect(
      (await cli('sign', input, '-o', cert, '--p12', j.signerP12, '--password', 'test', '--certify', '1')).code
    ).toBe(0);
    const refused = await cli('sign', cert, '-o', join(work, 'x.pdf'), '--p12', j.signerP12, '--password', 'test');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^error PDF_SIGNING_NOT_PERMITTED: /);
    const badPw = await cli('sign', input, '-o', join(work, 'x.pdf'), '--p12', j.signerP12, '--password', 'wrong');
    expect(badPw.code).toBe(1);
    expect(badPw.err).toMatch(/^error PKI_[A-Z_]+: /);
    const missing = await cli(
      'sign',
      join(work, 'nope.pdf'),
      '-o',
      join(work, 'x.pdf'),
      '--p12',
      j.signerP12,
      '--password',
      'test'
    );
    expect(missing.err).toMatch(/^error INPUT_UNREADABLE: /);
  });

  it('exit 2 on usage errors', async () => {
    expect((await cli('sign', input)).code).toBe(2);
    expect((await cli('sign', input, '-o', 'x.pdf', '--p12', 'a', '--password', 'b', '--level', 'B-T')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli()).code).toBe(2);
    expect((await cli('sign', '--help')).code).toBe(0);
  });
});

describe('inkan extend', () => {
  it('B-T → B-LTA through the CLI; an unsigned file is refused with PADES_NOTHING_TO_EXTEND', async () => {
    const bt = join(work, 'ext-bt.pdf');
    expect(
      (await cli('sign', input, '-o', bt, '--p12', j.signerP12, '--password', 'test', '--tsa', j.tsaUrl!)).code
    ).toBe(0);
    const lta = join(work, 'ext-lta.pdf');
    const r = await cli('extend', bt, '-o', lta, '--level', 'B-LTA', '--tsa', j.tsaUrl!);
    expect(r.code, r.err).toBe(0);
    const v = await verifyPdf(lta, j.rootPem, { level: 'B-LTA' });
    expect(v.verdict, v.output).toBe('PASS');
    const none = await cli('extend', input, '-o', join(work, 'ext-none.pdf'), '--level', 'B-LT');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^error PADES_NOTHING_TO_EXTEND: /);
    expect((await cli('extend', bt, '-o', join(work, 'x.pdf'))).code).toBe(2);
  });
});

describe('inkan sign --field and inkan verify', () => {
  it('fills a prepared field with a picture sized to its widget; inkan verify accepts the result', async () => {
    const form = join(work, 'form.pdf');
    writeFileSync(form, await pdfWithEmptySignatureFields(['Buyer']));
    const o = join(work, 'field.pdf');
    const r = await cli(
      'sign',
      form,
      '-o',
      o,
      '--p12',
      j.signerP12,
      '--password',
      'test',
      '--field',
      'Buyer',
      '--name',
      '佐藤 花子'
    );
    expect(r.code, r.err).toBe(0);
    expect(execFileSync('pdftotext', [o, '-']).toString('utf8')).toContain('佐藤 花子');
    expect((await verifyPdf(o, j.rootPem)).verdict).toBe('PASS');
    const v = await cli('verify', o, '--trust', j.rootPem);
    expect(v.code, v.out + v.err).toBe(0);
    const tampered = join(work, 'tampered.pdf');
    const bytes = readFileSync(o);
    bytes[60] ^= 1; // a byte of the original revision, covered by the signature
    writeFileSync(tampered, bytes);
    expect((await cli('verify', tampered, '--trust', j.rootPem)).code).toBe(1);
  });
});

describe('the installed bin', () => {
  it('npx inkan sign works from the repository root', async () => {
    const o = join(work, 'bin.pdf');
    const r = await run('npx', ['inkan', 'sign', input, '-o', o, '--p12', j.signerP12, '--password', 'test'], {
      cwd: repoRoot
    });
    expect(r.code, r.stderr).toBe(0);
    expect((await verifyPdf(o, j.rootPem)).verdict).toBe('PASS');
    const bad = await run('npx', ['inkan', 'sign', input], { cwd: repoRoot });
    expect(bad.code).toBe(2);
  });
});
