import { PdfDict, PdfStream, type PdfObject } from '@inkan/pdf';
import { signatureValue } from './rules-document.ts';
import { dictAt, refKey, refsIn, type RevisionStore } from './store.ts';
import { changedValues, type Add } from './change.ts';

// Field rules (ISO 32000-2 §12.7): values, appearances, locks and flags of fields that existed before.

/** Keys of a field (or merged field/widget) a filler may change. */
const FILL_KEYS = new Set(['V', 'AS', 'AP']);

export function fieldChange(
  store: RevisionStore,
  rev: number,
  key: string,
  name: string,
  type: string | undefined,
  o: PdfObject,
  n: PdfObject,
  add: Add,
  filledWidgets: Set<string>,
  shared: (key: string) => boolean
): void {
  const od = o instanceof PdfStream ? o.dict : o;
  const nd = n instanceof PdfStream ? n.dict : n;
  if (!(od instanceof PdfDict) || !(nd instanceof PdfDict))
    return add('other', 'FIELD_CHANGED', `field ${name}`, [name]);
  const keys = changedValues(store, rev, od, nd);
  const valueAdded = keys.includes('V') && od.get('V') === undefined;
  for (const k of keys) {
    if (k === 'V' && type === 'Sig') {
      if (od.get('V') !== undefined) add('other', 'SIGNATURE_REPLACED', `signature value of ${name}`, [name]);
      else {
        const v = dictAt(store, nd.get('V'), rev);
        if (v) signatureValue(store, rev, v, name, add);
        else add('other', 'FIELD_CHANGED', `field ${name} /V`, [name]);
      }
    } else if (k === 'AP' && refsIn(od.get('AP')).some((r) => shared(refKey(r)))) {
      add('other', 'SHARED_APPEARANCE_REPLACED', `field ${name}: its old appearance is also used elsewhere`, [name]);
    } else if (k === 'V' && type !== 'Sig' && nd.has('AP') && !keys.includes('AP') && !keys.includes('AS')) {
      // Shadow attack "replace via form": the value changes but the widget keeps showing the signed picture
      // (or the reverse) — what is displayed is no longer what the field holds.
      add('other', 'FIELD_VALUE_APPEARANCE_MISMATCH', `field ${name}: /V changed, appearance kept`, [name]);
    } else if (FILL_KEYS.has(k)) {
      filledWidgets.add(key);
      const what = k === 'V' ? 'FIELD_FILLED' : 'APPEARANCE_UPDATED';
      add('formFilling', what, `field ${name} /${k}`, type === 'Sig' && k !== 'V' ? [] : [name]);
    } else if ((k === 'Lock' || k === 'SV') && type === 'Sig' && valueAdded) {
      add('formFilling', 'SIGNATURE_LOCK_SET', `field ${name} /${k}`, []);
    } else if (k === 'F' && !hides(od.get('F'), nd.get('F'))) {
      add('formFilling', 'WIDGET_FLAGS_UPDATED', `field ${name} /F`, []);
    } else if (k === 'Ff' && onlyReadOnlyBitAdded(od.get('Ff'), nd.get('Ff'))) {
      add('formFilling', 'FIELD_LOCKED_READONLY', `field ${name} /Ff`, []);
    } else if (k === 'Kids') {
      add('other', 'FIELD_KIDS_CHANGED', `field ${name} /Kids`, [name]);
    } else add('other', 'FIELD_CHANGED', `field ${name} /${k}`, [name]);
  }
}

/** ISO 32000-2 Table 167: Invisible (1), Hidden (2), NoView (32) newly set hide what was signed. */
function hides(o: PdfObject | undefined, n: PdfObject | undefined): boolean {
  const ov = o?.kind === 'number' ? o.value : 0;
  const nv = n?.kind === 'number' ? n.value : 0;
  return (nv & ~ov & (1 | 2 | 32)) !== 0;
}

function onlyReadOnlyBitAdded(o: PdfObject | undefined, n: PdfObject | undefined): boolean {
  const ov = o?.kind === 'number' ? o.value : 0;
  const nv = n?.kind === 'number' ? n.value : 0;
  return (ov | 1) === nv;
}
