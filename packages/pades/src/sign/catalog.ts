/**
 * What the signature revision declares in the catalog and the form dictionary besides the field itself.
 *
 * - ESIC developer extension (ETSI EN 319 142-1; ISO 32000-2 §7.12): `/ESIC << /BaseVersion /1.7
 *   /ExtensionLevel 2 >>` declares the ETSI.CAdES.detached SubFilter (level 1 only the DSS, which level 2
 *   includes). PDF 2.0 has both in the base standard, so 2.0 documents get none. §7.12.3: BaseVersion may
 *   not exceed the document's version, so an older document's catalog /Version is raised to 1.7.
 * - /NeedAppearances (§12.7.3 Table 224, deprecated in PDF 2.0: a writer sets it only when it has not
 *   provided appearance streams for all visible widgets). With it true, viewers such as poppler regenerate
 *   every widget and draw over the signature's own /AP. It is removed when every visible widget — ours
 *   included — has an appearance; when some other field still lacks one the flag stays, for that field.
 */
import {
  addExtension,
  documentVersion,
  needsAppearances,
  raiseVersion,
  widgetsWithoutAppearance,
  type IncrementalUpdate,
  type PdfFile,
  type Widget
} from '@inkan/pdf';

export function declarePadesExtension(up: IncrementalUpdate, file: PdfFile): void {
  const version = documentVersion(file);
  if (Number(version) >= 2) return;
  raiseVersion(up, version, '1.7');
  addExtension(up, 'ESIC', '1.7', 2);
}

/** True when /NeedAppearances is set and no visible widget but `drawn` (given an appearance here) lacks one. */
export function needAppearancesRemovable(file: PdfFile, drawn?: Widget): boolean {
  if (!needsAppearances(file)) return false;
  return widgetsWithoutAppearance(file).every(
    (w) => drawn && (w.ref && drawn.ref ? w.ref.equals(drawn.ref) : w.dict === drawn.dict)
  );
}
