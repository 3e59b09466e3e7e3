import type { DocumentReport, SignatureReport } from '@inkan/pades';

export type VerifyState = 'valid' | 'invalid' | 'unknown';
export type SignatureKind = 'jitsuin' | 'keiyakuin' | 'docTimeStamp';

/** What the page shows for one signature: plain states, no ASN.1. */
export interface SignatureView {
  state: VerifyState;
  kind: SignatureKind;
  field: string;
  signer: string | null;
  provenTime: string | null;
  tsa: string | null;
  level: string | null;
  intact: boolean;
  trusted: boolean;
  forbiddenChanges: string[];
  permittedChanges: number;
  reasons: string[];
  indication: string;
  subIndication: string | null;
}

export function stateOf(indication: SignatureReport['indication']): VerifyState {
  return indication === 'TOTAL-PASSED' ? 'valid' : indication === 'TOTAL-FAILED' ? 'invalid' : 'unknown';
}

/**
 * 契約印 = a company seal signed with a server-held key: its certificate says so (OU=契約印 or
 * "keiyakuin"); any other signature by a person is a 実印 signature.
 */
export function kindOf(s: SignatureReport): SignatureKind {
  if (s.type === 'docTimeStamp') return 'docTimeStamp';
  return /OU=(契約印|keiyakuin)/i.test(s.signer?.subject ?? '') ? 'keiyakuin' : 'jitsuin';
}

export function signatureView(s: SignatureReport): SignatureView {
  return {
    state: stateOf(s.indication),
    kind: kindOf(s),
    field: s.fieldNames.join(', '),
    signer: s.signer?.commonName ?? s.signer?.subject ?? null,
    provenTime: s.provenTime,
    tsa: s.timestamp?.tsa ?? null,
    level: s.level,
    intact: s.intact && s.signatureValid,
    trusted: s.trusted,
    forbiddenChanges: s.modifications.filter((m) => !m.permitted).map((m) => m.code),
    permittedChanges: s.modifications.filter((m) => m.permitted).length,
    reasons: s.reasons,
    indication: s.indication,
    subIndication: s.subIndication
  };
}

export function documentState(r: DocumentReport): VerifyState {
  return stateOf(r.verdict);
}
