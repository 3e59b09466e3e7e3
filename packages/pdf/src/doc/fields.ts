/** Interactive form fields (ISO 32000-2 §12.7.4): the /Fields tree with fully qualified names, cycle-safe. */
import { PdfError } from '../core/errors.ts';
import type { PdfDict, PdfObject, PdfRef } from '../core/objects.ts';
import type { PdfFile } from '../file.ts';

export interface Widget {
  ref?: PdfRef;
  dict: PdfDict;
}

export interface FormField {
  /** Fully qualified name (§12.7.4.2): partial names /T joined with '.'. */
  name: string;
  /** Indirect reference of the field dictionary (undefined when it is a direct object). */
  ref?: PdfRef;
  dict: PdfDict;
  /** Field type /FT, inherited from ancestors (§12.7.4.1): 'Sig', 'Tx', 'Btn', 'Ch' or undefined. */
  ft?: string;
  /** /V resolved (for a signature field: the signature dictionary, §12.7.5.5). */
  value?: PdfObject;
  /** Raw /V (a PdfRef for signature fields that point at their signature dictionary). */
  rawValue?: PdfObject;
  /** /Lock of a signature field (§12.7.5.5 Table 236, FieldMDP), resolved. */
  lock?: PdfDict;
  /** True when the field has no child fields (kids without /T are its widgets). */
  terminal: boolean;
  widgets: Widget[];
  parent?: FormField;
}

const MAX_FIELDS = 200_000;
const MAX_DEPTH = 64;

/** Every field of the AcroForm (§12.7.3) as of `revision`, parents before children. */
export function formFields(file: PdfFile, revision?: number): FormField[] {
  const cat = file.resolve(file.revisions[revision ?? file.revisions.length - 1].trailer.get('Root'), revision);
  if (cat?.kind !== 'dict') return [];
  const form = file.resolve(cat.get('AcroForm'), revision);
  if (form?.kind !== 'dict') return [];
  const top = file.resolve(form.get('Fields'), revision);
  if (top?.kind !== 'array') return [];
  const out: FormField[] = [];
  const seen = new Set<string>();
  const stack: { o: PdfObject; parent?: FormField; depth: number }[] = [];
  for (let i = top.items.length - 1; i >= 0; i--) stack.push({ o: top.items[i], depth: 0 });
  while (stack.length) {
    const { o, parent, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) throw new PdfError('PDF_LIMIT_EXCEEDED', 'form field tree too deep');
    if (o.kind === 'ref') {
      if (seen.has(o.key)) {
        file.warn(`form field ${o.num} reached twice (cycle or shared field); skipped`);
        continue;
      }
      seen.add(o.key);
    }
    if (out.length >= MAX_FIELDS) throw new PdfError('PDF_LIMIT_EXCEEDED', 'too many form fields');
    const dict = file.resolve(o, revision);
    if (dict?.kind !== 'dict') continue;
    const t = dict.get('T');
    const partial = t?.kind === 'string' ? t.text() : '';
    const ftObj = dict.get('FT');
    const rawValue = dict.get('V') ?? (ftObj ? undefined : parent?.rawValue);
    const field: FormField = {
      name: parent ? (partial ? `${parent.name}.${partial}` : parent.name) : partial,
      ref: o.kind === 'ref' ? o : undefined,
      dict,
      ft: ftObj?.kind === 'name' ? ftObj.name : parent?.ft,
      rawValue,
      value: file.resolve(rawValue, revision),
      terminal: true,
      widgets: [],
      parent
    };
    const lock = file.resolve(dict.get('Lock'), revision);
    if (lock?.kind === 'dict') field.lock = lock;
    const kids = file.resolve(dict.get('Kids'), revision);
    const kidFields: PdfObject[] = [];
    if (kids?.kind === 'array')
      for (const k of kids.items) {
        const kd = file.resolve(k, revision);
        if (kd?.kind !== 'dict') continue;
        if (kd.has('T') || kd.has('Kids')) kidFields.push(k);
        else field.widgets.push({ ref: k.kind === 'ref' ? k : undefined, dict: kd });
      }
    if (kidFields.length) field.terminal = false;
    if (field.widgets.length === 0 && isWidget(dict)) field.widgets.push({ ref: field.ref, dict });
    out.push(field);
    for (let i = kidFields.length - 1; i >= 0; i--) stack.push({ o: kidFields[i], parent: field, depth: depth + 1 });
  }
  return out;
}

function isWidget(d: PdfDict): boolean {
  const s = d.get('Subtype');
  return (s?.kind === 'name' && s.name === 'Widget') || d.has('Rect');
}

/** The terminal field with this fully qualified name, or undefined. */
export function findField(file: PdfFile, name: string, revision?: number): FormField | undefined {
  return formFields(file, revision).find((f) => f.name === name && f.terminal);
}
