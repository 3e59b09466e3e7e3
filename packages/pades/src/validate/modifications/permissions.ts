import type { DocMdpPermission, Modification, ModificationLevel, SignatureFacts } from '../report.ts';
import { MODIFICATION_ORDER } from '../report.ts';
import type { Change } from './diff.ts';

/** What one signature restricts from its revision on (ISO 32000-2 §12.8.2.2 DocMDP, §12.8.2.4 FieldMDP). */
export type MdpSignature = Pick<SignatureFacts, 'revision' | 'docMdp' | 'fieldMdp'> & { fieldNames?: string[] };

/** The DocMDP level a signature imposes: its certification /P, or its lock's /P (PDF 2.0). */
function imposed(s: MdpSignature): DocMdpPermission | null {
  const ps = [s.docMdp, s.fieldMdp?.p ?? null].filter((p): p is DocMdpPermission => p !== null);
  return ps.length ? (Math.min(...ps) as DocMdpPermission) : null;
}

/** DocMDP /P → the highest modification level it permits (Table 257). No certification: annotations. */
export function allowedLevel(p: DocMdpPermission | null): ModificationLevel {
  return p === 1 ? 'ltaUpdates' : p === 2 ? 'formFilling' : 'annotations';
}

/** FieldMDP: does this lock cover the field `name` (fully qualified; a locked parent locks its kids)? */
export function locks(lock: NonNullable<MdpSignature['fieldMdp']>, name: string): boolean {
  const listed = lock.fields.some((f) => name === f || name.startsWith(`${f}.`));
  return lock.action === 'All' || (lock.action === 'Include' ? listed : !listed);
}

/**
 * Applies every signature's DocMDP and FieldMDP restrictions to the changes made after `sig`.
 * A change is permitted when it is not `other`, does not exceed the certification level in force,
 * touches no field locked by an earlier signature, and is not a certification after another signature.
 */
export function modificationsAfter(
  sig: MdpSignature,
  all: readonly MdpSignature[],
  changes: readonly Change[]
): Modification[] {
  const out: Modification[] = [];
  for (const c of changes) {
    if (c.revision <= sig.revision || c.level === 'none') continue;
    const earlier = all.filter((s) => s.revision < c.revision);
    const levels = earlier.map(imposed).filter((p): p is DocMdpPermission => p !== null);
    const ceiling = levels.length ? Math.min(...levels) : null;
    const allowed = MODIFICATION_ORDER.indexOf(allowedLevel(ceiling as DocMdpPermission | null));
    const lockedBy = earlier.find((s) => s.fieldMdp && c.fields.some((f) => locks(s.fieldMdp!, f)));
    let code = c.code;
    let permitted = c.level !== 'other' && MODIFICATION_ORDER.indexOf(c.level) <= allowed;
    const added = c.code === 'SIGNATURE_ADDED' ? all.find((s) => s.fieldNames?.includes(c.fields[0] ?? '')) : undefined;
    const addedLevel = added ? imposed(added) : null;
    if (c.certification && earlier.length > 0) {
      code = 'CERTIFICATION_AFTER_SIGNATURE';
      permitted = false;
    } else if (permitted && ceiling !== null && addedLevel !== null && addedLevel > ceiling) {
      code = 'ACCESS_PERMISSIONS_ADDED';
      permitted = false;
    } else if (lockedBy && permitted) {
      code = 'LOCKED_FIELD_MODIFIED';
      permitted = false;
    } else if (!permitted && c.level !== 'other') {
      code = `${c.code}_NOT_PERMITTED_BY_DOCMDP`;
    }
    out.push({ revision: c.revision, level: c.level, code, detail: c.detail, permitted });
  }
  return out;
}
