// Real-world CMS from the shared corpus, extracted by the independent stdlib-only tools/pdf-sig-extract.py.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyCms } from './verify.ts';
import { checkCrl, checkOcsp } from '../x509/revocation.ts';

const CORPUS = process.env.INKAN_CORPUS ?? '/work/shared/corpus';
const EXTRACT = join(process.env.INKAN_JUDGES_TOOLS ?? '/work/shared/tools', 'tools', 'pdf-sig-extract.py');
const present = existsSync(CORPUS) && existsSync(EXTRACT);
if (!present) console.warn(`\n*** CORPUS ABSENT (${CORPUS}): real-world CMS tests skipped ***\n`);

const extracted = new Map<string, { cms: Uint8Array; signed: Uint8Array }>();
function extract(file: string): { cms: Uint8Array; signed: Uint8Array } {
  const hit = extracted.get(file);
  if (hit) return hit;
  const out = mkdtempSync(join(tmpdir(), 'inkan-corpus-cms-'));
  execFileSync('python3', [EXTRACT, join(CORPUS, 'signed', file), out], { stdio: 'pipe' });
  const got = { cms: readFileSync(join(out, 'sig1.cms.der')), signed: readFileSync(join(out, 'sig1.signed.bin')) };
  extracted.set(file, got);
  return got;
}

describe.skipIf(!present)('verifyCms on real-world signatures', () => {
  for (const file of [
    'pyhanko/pyhanko_sig-no-signed-attrs.pdf',
    'dss/dss_Signature-P-FR_CS-5.pdf',
    'digitorus/digitorus_hello_hsm.pdf'
  ]) {
    it(`${file}: intact and valid`, async () => {
      const { cms, signed } = extract(file);
      const v = await verifyCms(cms, { content: [signed] });
      expect(v.cryptoProblem).toBeUndefined();
      expect(v.intact && v.signatureValid).toBe(true);
      expect(await verifyCms(cms, { content: [signed.subarray(1)] })).toMatchObject({ intact: false });
    });
  }

  it('Adobe revocation archival: an archived CRL or OCSP answer speaks, verified, about a certificate of the CMS', async () => {
    const { cms, signed } = extract('digitorus/digitorus_hello_hsm.pdf');
    const v = await verifyCms(cms, { content: [signed] });
    const archived = v.archivedRevocation!;
    expect(archived.crls.length + archived.ocsps.length).toBeGreaterThan(0);
    const found: string[] = [];
    for (const cert of v.certificates) {
      for (const issuer of v.certificates) {
        for (const der of archived.ocsps) {
          const f = await checkOcsp(cert, issuer, der).catch(() => undefined);
          if (f?.signatureValid) found.push(`ocsp ${f.status}`);
        }
        for (const der of archived.crls) {
          const f = await checkCrl(cert, issuer, der).catch(() => undefined);
          if (f?.signatureValid) found.push(`crl ${f.status}`);
        }
      }
    }
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((x) => x.endsWith('good'))).toBe(true);
  });
});
