/** Signers for tests whose certificates come from make-pki.sh / openssl, i.e. from nobody on this project. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPkcs8Signer, type Signer } from '@inkan/pki';
import { pemBlocks, run, type Judges } from './judges.ts';

async function fromPem(keyPem: string, certPem: string, rootPem: string, pss = false): Promise<Signer> {
  const [pkcs8] = pemBlocks(readFileSync(keyPem, 'utf8'));
  const [certificate] = pemBlocks(readFileSync(certPem, 'utf8'));
  const [root] = pemBlocks(readFileSync(rootPem, 'utf8'));
  return createPkcs8Signer({ pkcs8, certificate, chain: [root], pss });
}

/** make-pki's "Test Signer" (RSA-2048, root → signer), with the root in the chain; `pss` signs RSASSA-PSS. */
export async function opensslSigner(j: Judges, opts: { pss?: boolean } = {}): Promise<Signer> {
  return fromPem(j.signerKeyPem, j.signerCertPem, j.rootPem, opts.pss);
}

/** An ECDSA signer on `curve`, its certificate issued by make-pki's root with openssl (signer profile). */
export async function opensslEcSigner(j: Judges, curve: 'P-256' | 'P-384'): Promise<Signer> {
  const pki = join(j.dir, 'pki');
  const base = join(pki, `ec-${curve}`);
  if (!existsSync(`${base}.pem`)) {
    const env = { OPENSSL_CONF: '/dev/null' };
    const steps: string[][] = [
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', `${base}.key`],
      [
        'req',
        '-new',
        '-key',
        `${base}.key`,
        '-subj',
        `/C=XX/O=Validator Test PKI/CN=Test Signer ${curve}`,
        '-out',
        `${base}.csr`
      ],
      [
        'x509',
        '-req',
        '-in',
        `${base}.csr`,
        '-CA',
        join(pki, 'root-ca.pem'),
        '-CAkey',
        join(pki, 'root-ca.key'),
        '-set_serial',
        curve === 'P-256' ? '0x4256' : '0x4384',
        '-days',
        '3650',
        '-sha256',
        '-extfile',
        join(pki, 'ext.cnf'),
        '-extensions',
        'signer',
        '-out',
        `${base}.pem`
      ]
    ];
    for (const args of steps) {
      const r = await run('openssl', args, { env });
      if (r.code !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
    }
  }
  return fromPem(`${base}.key`, `${base}.pem`, j.rootPem);
}
