import type {
  DocumentReport,
  Indication,
  ModificationLevel,
  SignatureFacts,
  SignatureReport,
  SubIndication
} from './report.ts';
import { MODIFICATION_ORDER } from './report.ts';

const KNOWN_DIGESTS = new Set(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

export interface Verdict {
  indication: Indication;
  subIndication: SubIndication | null;
  reasons: string[];
}

/** Non-permitted modifications after this signature (the ones that make the document "modified after signing"). */
export function forbiddenModifications(facts: Pick<SignatureFacts, 'modifications'>): string[] {
  return facts.modifications.filter((m) => !m.permitted).map((m) => m.code);
}

/**
 * Derives the ETSI EN 319 102-1 verdict of one signature from its facts.
 *
 * TOTAL-FAILED conditions are checked first (a proven defect beats a missing proof): format
 * (ByteRange, CMS shape, coverage), digest (HASH_FAILURE), signature value (SIG_CRYPTO_FAILURE),
 * timestamp tampering, revocation before the proven time (REVOKED), forbidden later changes.
 * Then INDETERMINATE: signer certificate, algorithms, key usage, chain, time bounds.
 *
 * @example
 * deriveSignatureVerdict({ ...facts, intact: false }) // → { indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE', … }
 */
export function deriveSignatureVerdict(f: SignatureFacts): Verdict {
  const failed = (sub: SubIndication, ...reasons: string[]): Verdict => ({
    indication: 'TOTAL-FAILED',
    subIndication: sub,
    reasons
  });
  const indeterminate = (sub: SubIndication, ...reasons: string[]): Verdict => ({
    indication: 'INDETERMINATE',
    subIndication: sub,
    reasons
  });

  if (!f.coverage.wellFormed) return failed('FORMAT_FAILURE', 'BYTE_RANGE_MALFORMED', ...f.coverage.problems);
  if (f.coverage.revision === null) return failed('FORMAT_FAILURE', 'NONSTANDARD_COVERAGE');
  if (!f.formatOk) return failed('FORMAT_FAILURE', 'CMS_FORMAT', ...f.formatProblems);
  // A refused or unknown algorithm cannot prove a defect: INDETERMINATE (§5.2.8 CRYPTO_CONSTRAINTS_FAILURE).
  const digestKnown = KNOWN_DIGESTS.has(f.algorithms.digest ?? '');
  if (!f.intact && (digestKnown || f.algorithmsOk)) return failed('HASH_FAILURE', 'DIGEST_MISMATCH');
  if (!f.intact || (!f.signatureValid && !f.algorithmsOk)) {
    return indeterminate('CRYPTO_CONSTRAINTS_FAILURE', 'ALGORITHM_NOT_ALLOWED');
  }
  // Without the signer's certificate the value cannot be checked: a missing proof, not a forgery.
  if (!f.signatureValid && !f.signer)
    return indeterminate('NO_SIGNING_CERTIFICATE_FOUND', 'SIGNER_CERTIFICATE_MISSING');
  if (!f.signatureValid) return failed('SIG_CRYPTO_FAILURE', 'SIGNATURE_VALUE_INVALID');
  if (f.timestamp && !f.timestamp.valid) {
    return f.timestamp.algorithmRefused
      ? indeterminate('CRYPTO_CONSTRAINTS_FAILURE', 'TIMESTAMP_ALGORITHM_NOT_ALLOWED')
      : failed('HASH_FAILURE', 'TIMESTAMP_INVALID');
  }
  if (f.revocation === 'revoked') {
    const revokedBeforePoe =
      f.revokedAt !== null && f.provenTime !== null && Date.parse(f.revokedAt) <= Date.parse(f.provenTime);
    if (revokedBeforePoe || f.provenTime === null) {
      return f.provenTime === null
        ? indeterminate('REVOKED_NO_POE', 'CERTIFICATE_REVOKED')
        : failed('REVOKED', 'CERTIFICATE_REVOKED');
    }
  }
  const forbidden = forbiddenModifications(f);
  if (forbidden.length > 0) return failed('FORMAT_FAILURE', 'MODIFIED_AFTER_SIGNING', ...forbidden);

  if (!f.signer) return indeterminate('NO_SIGNING_CERTIFICATE_FOUND', 'SIGNER_CERTIFICATE_MISSING');
  if (!f.algorithmsOk) return indeterminate('CRYPTO_CONSTRAINTS_FAILURE', 'ALGORITHM_NOT_ALLOWED');
  if (!f.keyUsageOk) return indeterminate('SIG_CONSTRAINTS_FAILURE', 'KEY_USAGE_UNFIT');
  if (!f.trusted) {
    return indeterminate(f.chainSubIndication ?? 'NO_CERTIFICATE_CHAIN_FOUND', 'NOT_TRUSTED');
  }
  if (f.timestamp && !f.timestamp.trusted) {
    return indeterminate('NO_CERTIFICATE_CHAIN_FOUND', 'TIMESTAMP_NOT_TRUSTED');
  }
  if (f.certificateTimeProblem === 'expired') return indeterminate('OUT_OF_BOUNDS_NO_POE', 'CERTIFICATE_EXPIRED');
  if (f.certificateTimeProblem === 'notYetValid') return failed('NOT_YET_VALID', 'CERTIFICATE_NOT_YET_VALID');
  if (f.revocation === 'revoked') return indeterminate('REVOKED_NO_POE', 'CERTIFICATE_REVOKED_AFTER_POE');
  return { indication: 'TOTAL-PASSED', subIndication: null, reasons: [] };
}

export function withVerdict(f: SignatureFacts): SignatureReport {
  return { ...f, ...deriveSignatureVerdict(f) };
}

/** The highest modification level among the given ones (`none` for an empty list). */
export function maxLevel(levels: Iterable<ModificationLevel>): ModificationLevel {
  let best = 0;
  for (const l of levels) best = Math.max(best, MODIFICATION_ORDER.indexOf(l));
  return MODIFICATION_ORDER[best]!;
}

/**
 * The document's bottom line: TOTAL-PASSED only with ≥ 1 signature, every one TOTAL-PASSED and no
 * non-permitted change after any of them; TOTAL-FAILED when any signature failed or a forbidden
 * change exists; INDETERMINATE otherwise (including "no signature at all").
 */
export function deriveDocumentVerdict(
  signatures: readonly SignatureReport[],
  error: string | null = null
): Pick<DocumentReport, 'verdict' | 'modifiedAfterSigning' | 'modificationReasons'> {
  const reasons = [...new Set(signatures.flatMap((s) => forbiddenModifications(s)))];
  const modifiedAfterSigning = reasons.length > 0;
  let verdict: Indication;
  if (error !== null) verdict = 'TOTAL-FAILED';
  else if (signatures.length === 0) verdict = 'INDETERMINATE';
  else if (modifiedAfterSigning || signatures.some((s) => s.indication === 'TOTAL-FAILED')) verdict = 'TOTAL-FAILED';
  else if (signatures.every((s) => s.indication === 'TOTAL-PASSED')) verdict = 'TOTAL-PASSED';
  else verdict = 'INDETERMINATE';
  return { verdict, modifiedAfterSigning, modificationReasons: reasons };
}
