import type { DocumentReport, Indication, Modification, PadesLevel, SubIndication } from './report.ts';

/**
 * The stable JSON shape printed by `inkan verify --json` (issue 4; documented in README "Verification JSON").
 * Scripts depend on it: add fields only, never rename or remove.
 */
export interface VerifyJson {
  file: string;
  revisions: number;
  modifiedAfterSigning: boolean;
  verdict: Indication;
  signatures: VerifyJsonSignature[];
}

export interface VerifyJsonSignature {
  field: string;
  type: 'signature' | 'docTimeStamp';
  signer: string | null;
  signingTime: string | null;
  intact: boolean;
  signatureValid: boolean;
  trusted: boolean;
  timestamp: { time: string | null; tsa: string | null; valid: boolean } | null;
  level: PadesLevel | null;
  indication: Indication;
  subIndication: SubIndication | null;
  coversWholeFile: boolean;
  revision: number;
  modifications: { revision: number; level: Modification['level']; code: string; permitted: boolean }[];
}

/** Projects a report onto the CLI's JSON shape. */
export function toVerifyJson(report: DocumentReport, file: string): VerifyJson {
  return {
    file,
    revisions: report.revisions,
    modifiedAfterSigning: report.modifiedAfterSigning,
    verdict: report.verdict,
    signatures: report.signatures.map((s) => ({
      field: s.fieldNames.join(', '),
      type: s.type,
      signer: s.signer?.subject ?? null,
      signingTime: s.claimedTime,
      intact: s.intact,
      signatureValid: s.signatureValid,
      trusted: s.trusted,
      timestamp: s.timestamp ? { time: s.timestamp.time, tsa: s.timestamp.tsa, valid: s.timestamp.valid } : null,
      level: s.level,
      indication: s.indication,
      subIndication: s.subIndication,
      coversWholeFile: s.coverage.coversWholeFile,
      revision: s.revision,
      modifications: s.modifications.map((m) => ({
        revision: m.revision,
        level: m.level,
        code: m.code,
        permitted: m.permitted
      }))
    }))
  };
}
