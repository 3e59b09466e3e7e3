import { PdfArray, PdfDict, PdfRef, PdfStream, type PdfObject } from '@inkan/pdf';
import { deref, dictAt, nameOf, refKey, type RevisionStore } from './store.ts';

/** What an interactive-form field is, as of one revision (ISO 32000-2 §12.7.4). */
export interface FieldRole {
  /** Fully qualified name (§12.7.4.2), parts joined by '.'. */
  name: string;
  /** Field type, inherited through /Parent. */
  type: string | undefined;
  /** The dictionary is (also) a widget annotation. */
  widget: boolean;
}

/**
 * The role of every object that modification rules know about, as of one revision: catalog, info,
 * AcroForm, fields, signature dictionaries, page tree, annotations, appearance objects and the DSS.
 * Built with bounded walks (visited sets and a node budget): circular trees cannot hang it.
 */
export interface Roles {
  catalog: string | null;
  info: string | null;
  acroForm: string | null;
  fieldsArray: string | null;
  fields: Map<string, FieldRole>;
  sigDicts: Set<string>;
  pageNodes: Set<string>;
  pages: Set<string>;
  /** Content streams of pages (§7.8.2) → page ref. */
  contents: Map<string, string>;
  annotsArrays: Map<string, string>;
  /** Annotation ref → page ref. */
  annots: Map<string, string>;
  /** Appearance dictionaries/streams of widgets → the widget refs using them. */
  appearances: Map<string, Set<string>>;
  dss: Set<string>;
  metadata: string | null;
  structure: Set<string>;
}

const MAX_NODES = 200_000;

export function rolesAt(store: RevisionStore, rev: number): Roles {
  const trailer = store.trailer(rev);
  const roles: Roles = {
    catalog: null,
    info: null,
    acroForm: null,
    fieldsArray: null,
    fields: new Map(),
    sigDicts: new Set(),
    pageNodes: new Set(),
    pages: new Set(),
    contents: new Map(),
    annotsArrays: new Map(),
    annots: new Map(),
    appearances: new Map(),
    dss: new Set(),
    metadata: null,
    structure: new Set()
  };
  let budget = MAX_NODES;
  const spend = (): boolean => --budget > 0;
  const rootRef = trailer.get('Root');
  if (rootRef instanceof PdfRef) roles.catalog = refKey(rootRef);
  const infoRef = trailer.get('Info');
  if (infoRef instanceof PdfRef) roles.info = refKey(infoRef);
  const catalog = dictAt(store, rootRef, rev);
  if (!catalog) return roles;
  const meta = catalog.get('Metadata');
  if (meta instanceof PdfRef) roles.metadata = refKey(meta);

  // Page tree (§7.7.3): nodes and leaves, each annotation and its appearance.
  const seenPages = new Set<string>();
  const pageStack: PdfObject[] = [catalog.get('Pages')].filter((x): x is PdfObject => !!x);
  while (pageStack.length > 0 && spend()) {
    const r = pageStack.pop()!;
    if (!(r instanceof PdfRef) || seenPages.has(refKey(r))) continue;
    seenPages.add(refKey(r));
    const node = dictAt(store, r, rev);
    if (!node) continue;
    const kids = deref(store, node.get('Kids'), rev);
    if (nameOf(node.get('Type')) === 'Pages' || kids instanceof PdfArray) {
      roles.pageNodes.add(refKey(r));
      if (kids instanceof PdfArray) pageStack.push(...kids.items);
      continue;
    }
    roles.pages.add(refKey(r));
    const c = node.get('Contents');
    const streams = c instanceof PdfRef ? [c, ...arrayItems(store.get(c, rev))] : arrayItems(c);
    for (const x of streams) if (x instanceof PdfRef) roles.contents.set(refKey(x), refKey(r));
    const annotsObj = node.get('Annots');
    if (annotsObj instanceof PdfRef) roles.annotsArrays.set(refKey(annotsObj), refKey(r));
    const annots = deref(store, annotsObj, rev);
    if (!(annots instanceof PdfArray)) continue;
    for (const a of annots.items) {
      if (!(a instanceof PdfRef) || !spend()) continue;
      roles.annots.set(refKey(a), refKey(r));
      addAppearance(store, rev, a, roles, spend);
    }
  }

  // Form fields (§12.7.4): fully qualified names, inherited types, signature values.
  const acroRef = catalog.get('AcroForm');
  if (acroRef instanceof PdfRef) roles.acroForm = refKey(acroRef);
  const acro = dictAt(store, acroRef, rev);
  const fieldsObj = acro?.get('Fields');
  if (fieldsObj instanceof PdfRef) roles.fieldsArray = refKey(fieldsObj);
  const top = deref(store, fieldsObj, rev);
  if (top instanceof PdfArray) {
    const stack: { ref: PdfObject; parent: string; type: string | undefined }[] = top.items
      .map((ref) => ({ ref, parent: '', type: undefined }))
      .reverse();
    while (stack.length > 0 && spend()) {
      const { ref, parent, type: inherited } = stack.pop()!;
      if (!(ref instanceof PdfRef) || roles.fields.has(refKey(ref))) continue;
      const f = dictAt(store, ref, rev);
      if (!f) continue;
      const t = f.get('T');
      const partial = t?.kind === 'string' ? t.text() : '';
      const name = partial === '' ? parent : parent === '' ? partial : `${parent}.${partial}`;
      const type = nameOf(f.get('FT')) ?? inherited;
      roles.fields.set(refKey(ref), { name, type, widget: nameOf(f.get('Subtype')) === 'Widget' });
      addAppearance(store, rev, ref, roles, spend);
      if (type === 'Sig' && f.get('V') instanceof PdfRef) roles.sigDicts.add(refKey(f.get('V') as PdfRef));
      const kids = deref(store, f.get('Kids'), rev);
      if (kids instanceof PdfArray) {
        for (const k of [...kids.items].reverse()) stack.push({ ref: k, parent: name, type });
      }
    }
  }

  // Document security store (ETSI EN 319 142-1 §5.4) and everything it references.
  collect(store, rev, catalog.get('DSS'), roles.dss, spend);
  collect(store, rev, catalog.get('StructTreeRoot'), roles.structure, spend, 100_000, STRUCTURE_KEYS);
  return roles;
}

function arrayItems(o: PdfObject | undefined): PdfObject[] {
  return o instanceof PdfArray ? o.items : [];
}

function addAppearance(store: RevisionStore, rev: number, widgetRef: PdfRef, roles: Roles, spend: () => boolean): void {
  const widget = dictAt(store, widgetRef, rev);
  const ap = widget?.get('AP');
  if (!ap) return;
  const owned = new Set<string>();
  const walk = (o: PdfObject | undefined, depth: number): void => {
    if (!o || depth > 3 || !spend()) return;
    if (o instanceof PdfRef) {
      owned.add(refKey(o));
      const v = store.get(o, rev);
      if (v instanceof PdfDict) walk(v, depth + 1);
      return;
    }
    if (o instanceof PdfDict) for (const v of o.map.values()) walk(v, depth + 1);
    if (o instanceof PdfStream) return;
  };
  walk(ap, 0);
  for (const k of owned) {
    const users = roles.appearances.get(k) ?? new Set<string>();
    users.add(refKey(widgetRef));
    roles.appearances.set(k, users);
  }
}

/** Every indirect object reachable from `start` (bounded by `limit` objects and the global budget). */
export function collect(
  store: RevisionStore,
  rev: number,
  start: PdfObject | undefined,
  into: Set<string>,
  spend: () => boolean,
  limit = 100_000,
  keys?: ReadonlySet<string>
): void {
  const stack: (PdfObject | undefined)[] = [start];
  const values = (d: PdfDict) => (keys ? [...d.map].filter(([k]) => keys.has(k)).map(([, v]) => v) : d.map.values());
  while (stack.length > 0 && into.size < limit && spend()) {
    const o = stack.pop();
    if (!o) continue;
    if (o instanceof PdfRef) {
      if (into.has(refKey(o))) continue;
      into.add(refKey(o));
      stack.push(store.get(o, rev));
    } else if (o instanceof PdfArray) stack.push(...o.items);
    else if (o instanceof PdfDict) stack.push(...values(o));
    else if (o instanceof PdfStream) stack.push(...values(o.dict));
  }
}

/** Keys that lead from the structure tree root to structure elements (ISO 32000-2 §14.7.2), not to pages. */
const STRUCTURE_KEYS: ReadonlySet<string> = new Set(['K', 'ParentTree', 'Nums', 'Kids', 'IDTree', 'Names']);

/**
 * Objects reachable from the trailer of a revision without passing through any annotation's /AP entry
 * (bounded). An appearance object found here is shared with something else (pyHanko's "sneaky" updates
 * clobber exactly those), so a form filler may neither rewrite nor replace it.
 */
export function reachableBesidesAppearances(store: RevisionStore, rev: number, limit = MAX_NODES): Set<string> {
  const seen = new Set<string>();
  const stack: (PdfObject | undefined)[] = [store.trailer(rev)];
  let budget = limit * 4;
  const annotation = (d: PdfDict) => d.has('Rect') || nameOf(d.get('Subtype')) === 'Widget';
  const values = (d: PdfDict) =>
    annotation(d) ? [...d.map].filter(([k]) => k !== 'AP').map(([, v]) => v) : d.map.values();
  while (stack.length > 0 && --budget > 0) {
    const o = stack.pop();
    if (!o) continue;
    if (o instanceof PdfRef) {
      if (seen.has(refKey(o)) || seen.size >= limit) continue;
      seen.add(refKey(o));
      stack.push(store.get(o, rev));
    } else if (o instanceof PdfArray) stack.push(...o.items);
    else if (o instanceof PdfDict) stack.push(...values(o));
    else if (o instanceof PdfStream) stack.push(...values(o.dict));
  }
  return seen;
}

/**
 * How often each object is referenced from the live graph of a revision (everything reachable from the
 * trailer), bounded. Used to tell a clobbered shared appearance stream from a private one.
 */
export function referenceCounts(store: RevisionStore, rev: number, limit = MAX_NODES): Map<string, number> {
  const counts = new Map<string, number>();
  const stack: (PdfObject | undefined)[] = [store.trailer(rev)];
  let budget = limit * 4;
  while (stack.length > 0 && --budget > 0) {
    const o = stack.pop();
    if (!o) continue;
    if (o instanceof PdfRef) {
      const k = refKey(o);
      const n = counts.get(k) ?? 0;
      counts.set(k, n + 1);
      if (n === 0 && counts.size < limit) stack.push(store.get(o, rev));
    } else if (o instanceof PdfArray) stack.push(...o.items);
    else if (o instanceof PdfDict) stack.push(...o.map.values());
    else if (o instanceof PdfStream) stack.push(...o.dict.map.values());
  }
  return counts;
}
