import { PdfDict, PdfRef } from '@inkan/pdf';
import type { ModificationLevel } from '../report.ts';
import { changedKeys, sameObject, type RevisionStore } from './store.ts';

/** One classified change of one revision, before permissions are applied. */
export interface Change {
  revision: number;
  level: ModificationLevel;
  code: string;
  detail: string;
  /** Fully qualified names of the form fields this change touches (for FieldMDP locks). */
  fields: string[];
  /** Set on `SIGNATURE_ADDED`: the new signature certifies the document (has a DocMDP reference). */
  certification?: boolean;
}

/**
 * Keys whose values differ, counting a reference re-pointed to a new object with the same content as
 * unchanged (writers re-write /Resources, /AP … under new numbers).
 */
export function changedValues(store: RevisionStore, rev: number, o: PdfDict, n: PdfDict): string[] {
  return changedKeys(o, n).filter((k) => {
    const a = o.get(k);
    const b = n.get(k);
    return !(a instanceof PdfRef && b instanceof PdfRef && sameObject(store.get(a, rev - 1), store.get(b, rev)));
  });
}

export type Add = (
  level: ModificationLevel,
  code: string,
  detail: string,
  fields?: string[],
  extra?: Pick<Change, 'certification'>
) => void;
