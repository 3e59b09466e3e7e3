import { describe, expect, it } from 'vitest';
import type { SignatureReport } from '@inkan/pades';
import { kindOf, signatureView, stateOf } from './view.ts';

const sig = (over: Partial<SignatureReport>): SignatureReport =>
  ({
    fieldNames: ['Signature1'],
    type: 'signature',
    signer: {
      subject: 'C=JP, CN=山田 太郎',
      issuer: 'CN=CA',
      serialNumber: '1',
      notBefore: '',
      notAfter: '',
      commonName: '山田 太郎'
    },
    intact: true,
    signatureValid: true,
    trusted: true,
    timestamp: { time: '2026-06-01T00:00:00.000Z', tsa: 'CN=TSA', valid: true, trusted: true },
    provenTime: '2026-06-01T00:00:00.000Z',
    level: 'B-T',
    modifications: [],
    reasons: [],
    indication: 'TOTAL-PASSED',
    subIndication: null,
    ...over
  }) as SignatureReport;

describe('verification view', () => {
  it('maps ETSI indications to green / red / grey', () => {
    expect(stateOf('TOTAL-PASSED')).toBe('valid');
    expect(stateOf('TOTAL-FAILED')).toBe('invalid');
    expect(stateOf('INDETERMINATE')).toBe('unknown');
  });

  it('tells 実印, 契約印 and document timestamps apart', () => {
    expect(kindOf(sig({}))).toBe('jitsuin');
    expect(kindOf(sig({ signer: { ...sig({}).signer!, subject: 'C=JP, O=Example, OU=契約印, CN=Example KK' } }))).toBe(
      'keiyakuin'
    );
    expect(kindOf(sig({ type: 'docTimeStamp' }))).toBe('docTimeStamp');
  });

  it('separates forbidden from permitted changes', () => {
    const v = signatureView(
      sig({
        indication: 'TOTAL-FAILED',
        modifications: [
          { revision: 1, level: 'ltaUpdates', code: 'DSS_UPDATED', detail: '', permitted: true },
          { revision: 2, level: 'other', code: 'PAGE_CONTENT_CHANGED', detail: '', permitted: false }
        ]
      })
    );
    expect(v).toMatchObject({
      state: 'invalid',
      forbiddenChanges: ['PAGE_CONTENT_CHANGED'],
      permittedChanges: 1,
      signer: '山田 太郎'
    });
  });
});
