/**
 * What validation reports: facts kept apart, plus a verdict derived from them (STYLE.md §5).
 *
 * Indications and sub-indications are the names of ETSI EN 319 102-1 §5.1.3 (never numeric codes).
 * Modification levels follow pyHanko's ModificationLevel and ISO 32000-2 §12.8.2.2 (DocMDP /P).
 */

/** ETSI EN 319 102-1 §5.1.3 Table 5: main status indication. */
export type Indication = 'TOTAL-PASSED' | 'TOTAL-FAILED' | 'INDETERMINATE';

/** ETSI EN 319 102-1 §5.1.3 Table 6 (the subset Inkan can reach). */
export type SubIndication =
  // with TOTAL-FAILED
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'NOT_YET_VALID'
  // with INDETERMINATE
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'REVOKED_NO_POE'
  | 'REVOKED_CA_NO_POE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'OUT_OF_BOUNDS_NOT_REVOKED'
  | 'TRY_LATER'
  | 'SIGNED_DATA_NOT_FOUND'
  | 'TIMESTAMP_ORDER_FAILURE';

export const TOTAL_FAILED_SUBINDICATIONS: ReadonlySet<SubIndication> = new Set([
  'FORMAT_FAILURE',
  'HASH_FAILURE',
  'SIG_CRYPTO_FAILURE',
  'REVOKED',
  'NOT_YET_VALID'
]);

/**
 * How much a later revision changed, least to most (pyHanko ModificationLevel).
 * `ltaUpdates`: DSS and document timestamps only. `formFilling`: field values and further signatures.
 * `annotations`: annotations added, changed or removed. `other`: anything not explained by a permitted rule.
 */
export type ModificationLevel = 'none' | 'ltaUpdates' | 'formFilling' | 'annotations' | 'other';

export const MODIFICATION_ORDER: readonly ModificationLevel[] = [
  'none',
  'ltaUpdates',
  'formFilling',
  'annotations',
  'other'
];

/** DocMDP /P (ISO 32000-2 Table 257): 1 no changes, 2 form filling + signing, 3 also annotations. */
export type DocMdpPermission = 1 | 2 | 3;

/** One change found in one revision after a signature, with the rule that explained it (or not). */
export interface Modification {
  /** Revision index (0 = original file) in which the change appears. */
  revision: number;
  /** ltaUpdates | formFilling | annotations | other — `other` is never permitted. */
  level: ModificationLevel;
  /** Stable code naming what was seen, e.g. `DSS_ADDED`, `SIGNATURE_ADDED`, `PAGE_CONTENT_CHANGED`. */
  code: string;
  /** Human-readable detail (object numbers, field names), English. */
  detail: string;
  /** Whether the certification level / locks of the signature permit this change. */
  permitted: boolean;
}

/** Well-formedness of /ByteRange (ISO 32000-2 §12.8.1) and what it covers. */
export interface Coverage {
  /** As found in the file (may be anything for hostile files). */
  byteRange: number[] | null;
  /** Starts at 0, exactly two ranges, gap = exactly this dictionary's /Contents string, no overlap, in the file. */
  wellFormed: boolean;
  /** Why it is not well-formed (stable codes), empty when well-formed. */
  problems: string[];
  /** The signed ranges end exactly where the file ends. */
  coversWholeFile: boolean;
  /** Index of the revision whose end the signed ranges reach, or null when no revision ends there. */
  revision: number | null;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Common name of the subject, when there is one (for display). */
  commonName?: string;
}

export interface TimestampFacts {
  /** genTime of the RFC 3161 token (ISO 8601), the proven time. */
  time: string | null;
  /** TSA certificate subject. */
  tsa: string | null;
  /** Token signature valid and message imprint matches what it time-stamps. */
  valid: boolean;
  /** TSA chain built to the trust anchors. */
  trusted: boolean;
  /** Not valid only because the token uses an algorithm or key the policy refuses (SHA-1, RSA < 2048). */
  algorithmRefused?: boolean;
}

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

/** Everything found about one signature or document timestamp, each fact on its own. */
export interface SignatureFacts {
  /** Fully qualified field name(s) referencing this signature dictionary (one dictionary = one signature). */
  fieldNames: string[];
  type: 'signature' | 'docTimeStamp';
  subFilter: string | null;
  /** Revision index that the signature belongs to (the revision that added its dictionary). */
  revision: number;
  coverage: Coverage;
  /** The CMS could be parsed and has the shape a PDF signature needs (detached, one signer, …). */
  formatOk: boolean;
  formatProblems: string[];
  /** Signer certificate found in the CMS. */
  signer: CertificateInfo | null;
  /** /M of the signature dictionary or signingTime attribute: claimed, not proven. */
  claimedTime: string | null;
  /** Earliest proof of existence: signature timestamp genTime, else a later document timestamp. */
  provenTime: string | null;
  /** The digest over the ByteRange bytes equals the signed messageDigest (or the TST imprint). */
  intact: boolean;
  /** The signature value verifies with the signer's public key. */
  signatureValid: boolean;
  /** Chain built and validated to a caller-supplied trust anchor. */
  trusted: boolean;
  /** Sub-indication from path validation when not trusted. */
  chainSubIndication: SubIndication | null;
  revocation: RevocationStatus;
  revokedAt: string | null;
  /** The signer certificate's key usage / EKU allows signing. */
  keyUsageOk: boolean;
  /** Digest and signature algorithms on the allow-list (SHA-1 and weak keys refused). */
  algorithmsOk: boolean;
  algorithms: { digest: string | null; signature: string | null };
  /** Signature timestamp (unsigned attribute), or the token itself for a document timestamp. */
  timestamp: TimestampFacts | null;
  /** The signer certificate was not yet / no longer valid at the validation time and no POE helps. */
  certificateTimeProblem: 'expired' | 'notYetValid' | null;
  /** DocMDP (certification) permission declared by this signature, null for an approval signature. */
  docMdp: DocMdpPermission | null;
  /**
   * FieldMDP lock of this signature: action and field names; `p` (PDF 2.0 lock dictionaries, ISO 32000-2
   * Table 236) is the DocMDP level that applies to the whole document once the field is signed.
   */
  fieldMdp: { action: 'All' | 'Include' | 'Exclude'; fields: string[]; p?: DocMdpPermission } | null;
  level: PadesLevel | null;
  /** Changes in revisions after this signature, each classified. */
  modifications: Modification[];
}

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

export interface SignatureReport extends SignatureFacts {
  indication: Indication;
  subIndication: SubIndication | null;
  /** Stable reason codes behind the verdict, most important first (e.g. `BYTE_RANGE_MALFORMED`). */
  reasons: string[];
}

export interface DocumentReport {
  /** Number of revisions (incremental updates + 1). */
  revisions: number;
  signatures: SignatureReport[];
  /** True only when a later revision holds a change that is not permitted. */
  modifiedAfterSigning: boolean;
  /** Why, when modifiedAfterSigning (codes of the non-permitted modifications). */
  modificationReasons: string[];
  /** Document verdict: TOTAL-PASSED iff ≥ 1 signature, all TOTAL-PASSED, nothing non-permitted after. */
  verdict: Indication;
  /** When the document could not be read at all (typed error code). */
  error: string | null;
  /** The time the validation was done at (ISO 8601). */
  validationTime: string;
}
