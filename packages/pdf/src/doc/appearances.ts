/**
 * Appearance facts a signer needs (ISO 32000-2 §12.5.5, §12.7.3): whether the form asks viewers to
 * regenerate appearances (/NeedAppearances, deprecated in PDF 2.0), and which visible widgets have no
 * normal appearance stream of their own — the ones such a flag would be protecting.
 */
import type { PdfDict } from '../core/objects.ts';
import type { PdfFile } from '../file.ts';
import { formFields, type Widget } from './fields.ts';

/** The document's version: the header's, raised by the catalog's /Version when that is later (§7.2.2). */
export function documentVersion(file: PdfFile): string {
  const v = file.catalog().get('Version');
  const cat = v?.kind === 'name' && /^\d\.\d$/.test(v.name) ? v.name : undefined;
  return cat && Number(cat) > Number(file.version) ? cat : file.version;
}

/** /AcroForm /NeedAppearances is true (§12.7.3 Table 224). */
export function needsAppearances(file: PdfFile): boolean {
  const form = file.resolve(file.catalog().get('AcroForm'));
  const f = form?.kind === 'dict' ? form.get('NeedAppearances') : undefined;
  return f?.kind === 'bool' && f.value;
}

/** Hidden (bit 2) or NoView (bit 6) annotation flags, or a rectangle without area (§12.5.3). */
function invisible(file: PdfFile, w: PdfDict): boolean {
  const f = file.resolve(w.get('F'));
  if (f?.kind === 'number' && (f.value & (2 | 32)) !== 0) return true;
  const r = file.resolve(w.get('Rect'));
  if (r?.kind !== 'array' || r.items.length !== 4) return true;
  const n = r.items.map((x) => {
    const v = file.resolve(x);
    return v?.kind === 'number' ? v.value : NaN;
  });
  return !(Math.abs(n[2] - n[0]) > 0 && Math.abs(n[3] - n[1]) > 0);
}

/** Widgets of form fields that are visible but have no normal appearance (/AP /N, §12.5.5). */
export function widgetsWithoutAppearance(file: PdfFile): Widget[] {
  const out: Widget[] = [];
  for (const field of formFields(file))
    for (const w of field.widgets) {
      if (invisible(file, w.dict)) continue;
      const ap = file.resolve(w.dict.get('AP'));
      const n = ap?.kind === 'dict' ? file.resolve(ap.get('N')) : undefined;
      if (n?.kind !== 'stream' && n?.kind !== 'dict') out.push(w);
    }
  return out;
}
