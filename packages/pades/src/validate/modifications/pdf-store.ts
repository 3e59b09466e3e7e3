import type { PdfFile, PdfObject, PdfRef, PdfDict } from '@inkan/pdf';
import type { ChangedObject, RevisionStore } from './store.ts';

/** The modification analysis' view of a parsed `@inkan/pdf` file (objects as of each revision). */
export function pdfRevisionStore(file: PdfFile): RevisionStore {
  const changed = new Map<number, ChangedObject[]>();
  return {
    count: file.revisions.length,
    changed(revision: number): readonly ChangedObject[] {
      let list = changed.get(revision);
      if (!list) {
        const entries = file.revisions[revision]?.entries ?? new Map();
        list = [...entries.values()].map((e) => ({ num: e.num, gen: e.gen, freed: e.type === 0 }));
        changed.set(revision, list);
      }
      return list;
    },
    get(ref: PdfRef, revision: number): PdfObject | undefined {
      const o = file.get(ref, revision);
      return o?.kind === 'null' ? undefined : o;
    },
    trailer(revision: number): PdfDict {
      return file.revisions[revision]!.trailer;
    }
  };
}
