import { describe, expect, it } from 'vitest';
import type { Modification, SignatureFacts } from './report.ts';
import { deriveDocumentVerdict, deriveSignatureVerdict, maxLevel, withVerdict } from './verdict.ts';

/** A signature whose every fact is good: the baseline each test breaks in one place. */
function good(over: Partial<SignatureFacts> = {}): SignatureFacts {
  return {
    fieldNames: ['Signature1'],
    type: 'signature',
    subFilter: 'ETSI.CAdES.detached',
    revision: 0,
    coverage: { byteRange: [0, 10, 20, 30], wellFormed: true, problems: [], coversWholeFile: true, revision: 0 },
    formatOk: true,
    formatProblems: [],
    signer: {
      subject: 'CN=Yamada',
      issuer: 'CN=Root',
      serialNumber: '01',
      notBefore: '2026-01-01T00:00:00Z',
      notAfter: '2027-01-01T00:00:00Z'
    },
    claimedTime: '2026-06-01T00:00:00Z',
    provenTime: '2026-06-01T00:00:05Z',
    intact: true,
    signatureValid: true,
    trusted: true,
    chainSubIndication: null,
    revocation: 'good',
    revokedAt: null,
    keyUsageOk: true,
    algorithmsOk: true,
    algorithms: { digest: 'SHA-256', signature: 'ECDSA' },
    timestamp: { time: '2026-06-01T00:00:05Z', tsa: 'CN=TSA', valid: true, trusted: true },
    certificateTimeProblem: null,
    docMdp: null,
    fieldMdp: null,
    level: 'B-T',
    modifications: [],
    ...over
  };
}

const mod = (over: Partial<Modification>): Modification => ({
  revision: 1,
  level: 'other',
  code: 'PAGE_CONTENT_CHANGED',
  detail: 'object 5',
  permitted: false,
  ...over
});

describe('deriveSignatureVerdict', () => {
  it('passes a signature whose facts are all good', () => {
    expect(deriveSignatureVerdict(good())).toEqual({ indication: 'TOTAL-PASSED', subIndication: null, reasons: [] });
  });

  it.each([
    [
      'malformed ByteRange',
      { coverage: { ...good().coverage, wellFormed: false, problems: ['GAP_NOT_CONTENTS'] } },
      'FORMAT_FAILURE'
    ],
    ['coverage ending inside a revision', { coverage: { ...good().coverage, revision: null } }, 'FORMAT_FAILURE'],
    [
      'CMS with encapsulated content',
      { formatOk: false, formatProblems: ['DETACHED_WITH_ECONTENT'] },
      'FORMAT_FAILURE'
    ],
    ['digest mismatch', { intact: false }, 'HASH_FAILURE'],
    ['bad signature value', { signatureValid: false }, 'SIG_CRYPTO_FAILURE'],
    ['tampered timestamp', { timestamp: { time: null, tsa: null, valid: false, trusted: false } }, 'HASH_FAILURE'],
    [
      'revoked before the proven time',
      { revocation: 'revoked' as const, revokedAt: '2026-05-01T00:00:00Z' },
      'REVOKED'
    ],
    ['forbidden change after signing', { modifications: [mod({})] }, 'FORMAT_FAILURE'],
    ['certificate not yet valid', { certificateTimeProblem: 'notYetValid' as const }, 'NOT_YET_VALID']
  ])('fails (TOTAL-FAILED) on %s', (_name, over, sub) => {
    const v = deriveSignatureVerdict(good(over as Partial<SignatureFacts>));
    expect(v.indication).toBe('TOTAL-FAILED');
    expect(v.subIndication).toBe(sub);
    expect(v.reasons.length).toBeGreaterThan(0);
  });

  it.each([
    ['no signer certificate', { signer: null }, 'NO_SIGNING_CERTIFICATE_FOUND'],
    [
      'no signer certificate to check the value with',
      { signer: null, signatureValid: false },
      'NO_SIGNING_CERTIFICATE_FOUND'
    ],
    ['SHA-1', { algorithmsOk: false }, 'CRYPTO_CONSTRAINTS_FAILURE'],
    ['key usage unfit', { keyUsageOk: false }, 'SIG_CONSTRAINTS_FAILURE'],
    ['untrusted chain', { trusted: false }, 'NO_CERTIFICATE_CHAIN_FOUND'],
    [
      'chain failure named by path validation',
      { trusted: false, chainSubIndication: 'CERTIFICATE_CHAIN_GENERAL_FAILURE' as const },
      'CERTIFICATE_CHAIN_GENERAL_FAILURE'
    ],
    [
      'timestamp refused for its algorithm (SHA-1 TSA)',
      { timestamp: { time: 'x', tsa: 'CN=TSA', valid: false, trusted: false, algorithmRefused: true } },
      'CRYPTO_CONSTRAINTS_FAILURE'
    ],
    [
      'untrusted TSA',
      { timestamp: { time: 'x', tsa: 'CN=TSA', valid: true, trusted: false } },
      'NO_CERTIFICATE_CHAIN_FOUND'
    ],
    ['expired without POE', { certificateTimeProblem: 'expired' as const }, 'OUT_OF_BOUNDS_NO_POE'],
    [
      'revoked with no proven time',
      { revocation: 'revoked' as const, revokedAt: '2026-05-01T00:00:00Z', provenTime: null },
      'REVOKED_NO_POE'
    ],
    [
      'revoked after the proven time',
      { revocation: 'revoked' as const, revokedAt: '2026-07-01T00:00:00Z' },
      'REVOKED_NO_POE'
    ]
  ])('is INDETERMINATE on %s', (_name, over, sub) => {
    const v = deriveSignatureVerdict(good(over as Partial<SignatureFacts>));
    expect(v.indication).toBe('INDETERMINATE');
    expect(v.subIndication).toBe(sub);
  });

  it('does not call a signature forged when its algorithm is refused or unknown', () => {
    const weak = deriveSignatureVerdict(good({ signatureValid: false, algorithmsOk: false }));
    expect(weak).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE' });
    const shake = deriveSignatureVerdict(
      good({ intact: false, algorithmsOk: false, algorithms: { digest: '2.16.840.1.101.3.4.2.12', signature: null } })
    );
    expect(shake.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
    const tampered = deriveSignatureVerdict(good({ intact: false, algorithmsOk: false }));
    expect(tampered.subIndication).toBe('HASH_FAILURE');
  });

  it('lets a permitted later change pass', () => {
    const v = deriveSignatureVerdict(
      good({ modifications: [mod({ level: 'formFilling', code: 'SIGNATURE_ADDED', permitted: true })] })
    );
    expect(v.indication).toBe('TOTAL-PASSED');
  });

  it('names a proven defect before a missing proof', () => {
    const v = deriveSignatureVerdict(good({ intact: false, trusted: false, signer: null }));
    expect(v.subIndication).toBe('HASH_FAILURE');
  });

  it('a crypto-valid signature with nonstandard coverage is not passed', () => {
    const v = deriveSignatureVerdict(
      good({ coverage: { ...good().coverage, wellFormed: false, problems: ['ONE_RANGE'] } })
    );
    expect(v.indication).not.toBe('TOTAL-PASSED');
    expect(v.reasons).toContain('ONE_RANGE');
  });
});

describe('deriveDocumentVerdict', () => {
  it('needs at least one signature', () => {
    expect(deriveDocumentVerdict([])).toEqual({
      verdict: 'INDETERMINATE',
      modifiedAfterSigning: false,
      modificationReasons: []
    });
  });

  it('passes when every signature passes', () => {
    expect(deriveDocumentVerdict([withVerdict(good()), withVerdict(good())]).verdict).toBe('TOTAL-PASSED');
  });

  it('is INDETERMINATE when one signature is untrusted', () => {
    expect(deriveDocumentVerdict([withVerdict(good()), withVerdict(good({ trusted: false }))]).verdict).toBe(
      'INDETERMINATE'
    );
  });

  it('reports modifiedAfterSigning only for non-permitted changes, with the reason', () => {
    const permitted = withVerdict(
      good({ modifications: [mod({ level: 'ltaUpdates', code: 'DSS_ADDED', permitted: true })] })
    );
    expect(deriveDocumentVerdict([permitted]).modifiedAfterSigning).toBe(false);
    const doc = deriveDocumentVerdict([permitted, withVerdict(good({ modifications: [mod({})] }))]);
    expect(doc).toEqual({
      verdict: 'TOTAL-FAILED',
      modifiedAfterSigning: true,
      modificationReasons: ['PAGE_CONTENT_CHANGED']
    });
  });

  it('fails a document that could not be read', () => {
    expect(deriveDocumentVerdict([], 'PDF_MALFORMED').verdict).toBe('TOTAL-FAILED');
  });
});

describe('maxLevel', () => {
  it('orders levels none < ltaUpdates < formFilling < annotations < other', () => {
    expect(maxLevel([])).toBe('none');
    expect(maxLevel(['formFilling', 'ltaUpdates'])).toBe('formFilling');
    expect(maxLevel(['annotations', 'other', 'none'])).toBe('other');
  });
});
