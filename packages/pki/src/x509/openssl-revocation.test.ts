// Revocation data made by openssl (`openssl ca -revoke/-gencrl`, `openssl ocsp`), read by us.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeReferencePki, type ReferencePki } from '../test-support/reference-tsa.ts';
import { checkCrl, checkOcsp, createOcspRequest } from './revocation.ts';
import { validatePath } from './path.ts';

let pki: ReferencePki;
let crl: Uint8Array;
const env = { ...process.env, OPENSSL_CONF: '/dev/null' };
const ossl = (args: string[]) => execFileSync('openssl', args, { env, stdio: 'pipe', cwd: pki.file('') });

function ocspAnswer(target: string, request: Uint8Array): Uint8Array {
  writeFileSync(pki.file(`${target}.ocsp-req`), request);
  ossl([
    'ocsp',
    '-index',
    'ca-db/index.txt',
    '-rsigner',
    'root-ca.pem',
    '-rkey',
    'root-ca.key',
    '-CA',
    'root-ca.pem',
    '-reqin',
    `${target}.ocsp-req`,
    '-respout',
    `${target}.ocsp-resp`,
    '-ndays',
    '30'
  ]);
  return readFileSync(pki.file(`${target}.ocsp-resp`));
}

beforeAll(() => {
  pki = makeReferencePki();
  const ca = ['-config', 'ca-db/ca.cnf', '-keyfile', 'root-ca.key', '-cert', 'root-ca.pem'];
  ossl(['ca', ...ca, '-valid', 'signer.pem']);
  ossl(['ca', ...ca, '-revoke', 'signer-ds-only.pem', '-crl_reason', 'keyCompromise']);
  ossl(['ca', ...ca, '-gencrl', '-out', 'revoked.crl.pem']);
  ossl(['crl', '-in', 'revoked.crl.pem', '-outform', 'DER', '-out', 'revoked.crl']);
  crl = readFileSync(pki.file('revoked.crl'));
});

describe('revocation data from openssl', () => {
  it('CRL: revoked with reason, good otherwise, signature by the issuer', async () => {
    const root = pki.der('root-ca');
    const revoked = await checkCrl(pki.der('signer-ds-only'), root, crl);
    expect(revoked).toMatchObject({ status: 'revoked', reason: 'keyCompromise', signatureValid: true });
    expect(Math.abs(revoked!.revokedAt!.getTime() - Date.now())).toBeLessThan(3_600_000);
    expect(await checkCrl(pki.der('signer'), root, crl)).toMatchObject({ status: 'good', signatureValid: true });
    expect(await checkCrl(pki.der('other-signer'), pki.der('other-root-ca'), crl)).toBeUndefined();
  });

  it('OCSP (openssl ocsp responder answering our request): good, revoked, and unknown', async () => {
    const root = pki.der('root-ca');
    const good = await checkOcsp(
      pki.der('signer'),
      root,
      ocspAnswer('signer', await createOcspRequest(pki.der('signer'), root))
    );
    expect(good).toMatchObject({ status: 'good', signatureValid: true });
    const rev = await checkOcsp(
      pki.der('signer-ds-only'),
      root,
      ocspAnswer('ds', await createOcspRequest(pki.der('signer-ds-only'), root))
    );
    expect(rev).toMatchObject({ status: 'revoked', reason: 'keyCompromise', signatureValid: true });
    const unknown = await checkOcsp(
      pki.der('tsa'),
      root,
      ocspAnswer('tsa', await createOcspRequest(pki.der('tsa'), root))
    );
    expect(unknown?.status).toBe('unknown');
  });

  it('validatePath with the openssl CRL: PASSED for the good signer, REVOKED_NO_POE for the revoked one', async () => {
    const anchors = [pki.der('root-ca')];
    const ok = await validatePath(pki.der('signer'), { anchors, crls: [crl] });
    expect(ok.indication).toBe('PASSED');
    expect(ok.revocation[0]!.status).toBe('good');
    const bad = await validatePath(pki.der('signer-ds-only'), { anchors, crls: [crl] });
    expect([bad.indication, bad.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
    const untrusted = await validatePath(pki.der('other-signer'), {
      anchors,
      intermediates: [pki.der('other-root-ca')]
    });
    expect(untrusted.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('a CRL whose nextUpdate is before the validation time does not prove "good" → TRY_LATER', async () => {
    ossl([
      'ca',
      '-config',
      'ca-db/ca.cnf',
      '-keyfile',
      'root-ca.key',
      '-cert',
      'root-ca.pem',
      '-gencrl',
      '-crlhours',
      '1',
      '-out',
      'short.crl.pem'
    ]);
    ossl(['crl', '-in', 'short.crl.pem', '-outform', 'DER', '-out', 'short.crl']);
    const short = readFileSync(pki.file('short.crl'));
    const anchors = [pki.der('root-ca')];
    const now = await validatePath(pki.der('signer'), { anchors, crls: [short] });
    expect(now.indication).toBe('PASSED');
    const later = await validatePath(pki.der('signer'), {
      anchors,
      crls: [short],
      at: new Date(Date.now() + 3 * 3_600_000)
    });
    expect([later.indication, later.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
  });

  it('a certificate signed with SHA-1 → CRYPTO_CONSTRAINTS_FAILURE', async () => {
    ossl([
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'sha1.key',
      '-subj',
      '/CN=SHA-1 Signed',
      '-out',
      'sha1.csr'
    ]);
    ossl([
      'x509',
      '-req',
      '-in',
      'sha1.csr',
      '-CA',
      'root-ca.pem',
      '-CAkey',
      'root-ca.key',
      '-sha1',
      '-days',
      '30',
      '-set_serial',
      '0x4001',
      '-out',
      'sha1.pem'
    ]);
    const v = await validatePath(pki.der('sha1'), { anchors: [pki.der('root-ca')], revocation: 'skip' });
    expect([v.indication, v.subIndication]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE']);
  });
});
