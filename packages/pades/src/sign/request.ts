/**
 * What a caller asks for when signing: the options of every stage in one typed, validated value.
 */
import type { DigestAlgorithm } from '@inkan/pki';
import type { SignatureAppearance } from '../appearance/appearance.ts';
import { check } from '../errors.ts';
import type { Digester } from './digest.ts';
import type { LevelRequest } from './level.ts';

/** Where a visible signature goes: 0-based page index and [x, y, width, height] in PDF points. */
export interface VisiblePlacement {
  readonly page: number;
  readonly rect: readonly [number, number, number, number];
}

export interface SignatureRequest extends LevelRequest {
  /** Message digest for the document and the signed attributes (default SHA-256; SHA-1 is refused). */
  readonly hash?: DigestAlgorithm;
  /**
   * Fully qualified name of an existing empty signature field to fill; when no such field exists a new
   * field with this name is created (default: `Signature<n>`).
   */
  readonly field?: string;
  /** A new visible widget; omit for an invisible signature (an existing field keeps its own widget). */
  readonly visible?: VisiblePlacement;
  /** The picture of the widget (see buildAppearance); needs `visible` or an existing field with a widget. */
  readonly appearance?: SignatureAppearance;
  /** Certification signature with DocMDP /P (§12.8.2.2): 1 no changes, 2 forms + signing, 3 also annotations. */
  readonly certify?: 1 | 2 | 3;
  /**
   * FieldMDP lock of the new field (§12.7.5.5 /Lock, §12.8.2.4): once this signature is in, the named
   * fields (Include), all but them (Exclude) or every field (All) may not change — later signers are refused.
   */
  readonly lock?: { readonly action: 'All' | 'Include' | 'Exclude'; readonly fields?: readonly string[] };
  /** /Name, /Reason, /Location, /ContactInfo of the signature dictionary (§12.8.1 Table 255). */
  readonly signerName?: string;
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  /** /M of the signature dictionary (default: now). PAdES puts the claimed time here, not in the CMS. */
  readonly signingTime?: Date;
  /** PDF password (user or owner) for encrypted input. */
  readonly password?: string;
  /** How to hash the ByteRange (default WebCrypto in place; Node: `nodeDigester` from '@inkan/pades/node'). */
  readonly digester?: Digester;
}

export const ALLOWED_HASHES: readonly DigestAlgorithm[] = ['SHA-256', 'SHA-384', 'SHA-512'];

export function checkRequest(r: SignatureRequest): void {
  check(r && typeof r === 'object', 'signature request missing');
  check(ALLOWED_HASHES.includes(r.hash ?? 'SHA-256'), `hash ${String(r.hash)} is not allowed (SHA-256/384/512)`);
  check(r.certify === undefined || [1, 2, 3].includes(r.certify), 'certify must be 1, 2 or 3');
  if (r.visible) {
    check(Number.isInteger(r.visible.page) && r.visible.page >= 0, 'visible.page is a 0-based page index');
    check(
      r.visible.rect.length === 4 && r.visible.rect.every(Number.isFinite),
      'visible.rect is [x, y, width, height]'
    );
    check(r.visible.rect[2] > 0 && r.visible.rect[3] > 0, 'visible.rect needs a positive width and height');
  }
  check(r.field === undefined || (r.field.length > 0 && !r.field.includes('\u0000')), 'field name is empty');
  check(
    r.lock === undefined ||
      (['All', 'Include', 'Exclude'].includes(r.lock.action) && (r.lock.action === 'All' || !!r.lock.fields?.length)),
    'lock needs an action (All, Include, Exclude) and, for Include/Exclude, field names'
  );
  check(r.signingTime === undefined || !Number.isNaN(r.signingTime.getTime()), 'signingTime is not a date');
}
