import { describe, expect, it } from 'vitest';
import { arr, dict, name, num, ref, str, PdfStream, type PdfDict, type PdfObject, type PdfRef } from '@inkan/pdf';
import { analyzeRevision } from './diff.ts';
import { modificationsAfter } from './permissions.ts';
import type { RevisionStore } from './store.ts';

/** Revisions as maps of object number → object; each revision lists only what it (re)defines. */
function store(revisions: Record<number, PdfObject | null>[]): RevisionStore {
  return {
    count: revisions.length,
    changed: (r) => Object.entries(revisions[r]!).map(([n, o]) => ({ num: Number(n), gen: 0, freed: o === null })),
    get(ref: PdfRef, r: number) {
      for (let i = r; i >= 0; i--) {
        if (ref.num in revisions[i]!) return revisions[i]![ref.num] ?? undefined;
      }
      return undefined;
    },
    trailer: () => dict({ Root: ref(1), Info: ref(9) })
  };
}

const stream = (text: string, d: Record<string, PdfObject> = {}): PdfStream =>
  new PdfStream(dict(d), new TextEncoder().encode(text));

/** A signed one-page document: catalog 1, pages 2, page 3 (content 4), AcroForm with signature field 5 → sig 6. */
function signedBase(): Record<number, PdfObject> {
  return {
    1: dict({ Type: name('Catalog'), Pages: ref(2), AcroForm: dict({ Fields: arr(ref(5)), SigFlags: num(3) }) }),
    2: dict({ Type: name('Pages'), Kids: arr(ref(3)), Count: num(1) }),
    3: dict({ Type: name('Page'), Parent: ref(2), Contents: ref(4), Annots: arr(ref(5)), Resources: dict({}) }),
    4: stream('BT (Pay 100 yen) Tj ET'),
    5: dict({
      FT: name('Sig'),
      T: str('Signature1'),
      Subtype: name('Widget'),
      P: ref(3),
      V: ref(6),
      AP: dict({ N: ref(7) })
    }),
    6: dict({ Type: name('Sig'), Filter: name('Adobe.PPKLite'), SubFilter: name('ETSI.CAdES.detached') }),
    7: stream('', { Type: name('XObject'), Subtype: name('Form') }),
    8: dict({ Font: name('Helvetica') }),
    9: dict({ Producer: str('test') })
  };
}

const codes = (s: RevisionStore, r = 1) => analyzeRevision(s, r).map((c) => `${c.level}:${c.code}`);

describe('analyzeRevision', () => {
  it('sees nothing in an identical re-write', () => {
    expect(codes(store([signedBase(), { 3: signedBase()[3]!, 4: stream('BT (Pay 100 yen) Tj ET') }]))).toEqual([]);
  });

  it('flags a replaced page content stream (ISA / shadow "replace")', () => {
    expect(codes(store([signedBase(), { 4: stream('BT (Pay 1000000 yen) Tj ET') }]))).toEqual([
      'other:PAGE_CONTENT_CHANGED'
    ]);
  });

  it('flags a re-pointed /Contents reference', () => {
    const page = (signedBase()[3] as PdfDict).clone().set('Contents', ref(10));
    expect(codes(store([signedBase(), { 3: page, 10: stream('evil') }]))).toEqual(['other:PAGE_CONTENT_CHANGED']);
  });

  it('flags a changed signature dictionary (signature dictionary spoofing)', () => {
    const sig = (signedBase()[6] as PdfDict).clone().set('Reason', str('I agree to pay more'));
    expect(codes(store([signedBase(), { 6: sig }]))).toEqual(['other:SIGNATURE_DICTIONARY_MODIFIED']);
  });

  it('accepts a DSS as an LTA update', () => {
    const cat = (signedBase()[1] as PdfDict).clone().set('DSS', ref(11));
    expect(codes(store([signedBase(), { 1: cat, 11: dict({ Certs: arr(ref(12)) }), 12: stream('cert') }]))).toEqual([
      'ltaUpdates:DSS_UPDATED'
    ]);
  });

  it('accepts a second signature field + widget as form filling, a document timestamp as LTA update', () => {
    const next = (type: string) => {
      const cat = (signedBase()[1] as PdfDict)
        .clone()
        .set('AcroForm', dict({ Fields: arr(ref(5), ref(20)), SigFlags: num(3) }));
      const page = (signedBase()[3] as PdfDict).clone().set('Annots', arr(ref(5), ref(20)));
      return {
        1: cat,
        3: page,
        20: dict({ FT: name('Sig'), T: str('Signature2'), Subtype: name('Widget'), V: ref(21) }),
        21: dict({ Type: name(type) })
      };
    };
    expect(codes(store([signedBase(), next('Sig')])).sort()).toEqual([
      'formFilling:SIGNATURE_ADDED',
      'formFilling:SIGNATURE_WIDGET_ADDED'
    ]);
    expect(codes(store([signedBase(), next('DocTimeStamp')])).sort()).toEqual([
      'ltaUpdates:DOCUMENT_TIMESTAMP_ADDED',
      'ltaUpdates:DOCUMENT_TIMESTAMP_WIDGET_ADDED'
    ]);
  });

  it('treats a visible but unsigned signature widget like an overlay annotation (Sneaky Signature Attack)', () => {
    const cat = (signedBase()[1] as PdfDict)
      .clone()
      .set('AcroForm', dict({ Fields: arr(ref(5), ref(70)), SigFlags: num(3) }));
    const page = (signedBase()[3] as PdfDict).clone().set('Annots', arr(ref(5), ref(70)));
    const widget = (rect: number[]) =>
      dict({
        FT: name('Sig'),
        T: str('Sneaky'),
        Subtype: name('Widget'),
        Rect: arr(...rect.map(num)),
        AP: dict({ N: ref(71) })
      });
    const sneaky = store([
      signedBase(),
      { 1: cat, 3: page, 70: widget([50, 50, 400, 200]), 71: stream('BT (PAID) Tj ET') }
    ]);
    const changes = analyzeRevision(sneaky, 1);
    expect(changes.map((c) => c.code).sort()).toEqual(['SIGNATURE_FIELD_ADDED', 'UNSIGNED_SIGNATURE_WIDGET_ADDED']);
    const certified = { revision: 0, docMdp: 2 as const, fieldMdp: null };
    expect(modificationsAfter(certified, [certified], changes).some((m) => !m.permitted)).toBe(true);
    const invisible = store([signedBase(), { 1: cat, 3: page, 70: widget([0, 0, 0, 0]), 71: stream('') }]);
    expect(codes(invisible).sort()).toEqual([
      'formFilling:SIGNATURE_FIELD_ADDED',
      'formFilling:SIGNATURE_WIDGET_ADDED'
    ]);
  });

  it('classifies an added annotation, and refuses it under DocMDP P=2', () => {
    const page = (signedBase()[3] as PdfDict).clone().set('Annots', arr(ref(5), ref(30)));
    const s = store([signedBase(), { 3: page, 30: dict({ Subtype: name('FreeText'), Contents: str('paid') }) }]);
    const changes = analyzeRevision(s, 1);
    expect(changes.map((c) => c.code)).toEqual(['ANNOTATION_ADDED']);
    const approval = { revision: 0, docMdp: null, fieldMdp: null };
    expect(modificationsAfter(approval, [approval], changes)[0]!.permitted).toBe(true);
    const certified = { revision: 0, docMdp: 2 as const, fieldMdp: null };
    expect(modificationsAfter(certified, [certified], changes)[0]).toMatchObject({ permitted: false });
  });

  it('flags a page added to the page tree', () => {
    const pages = dict({ Type: name('Pages'), Kids: arr(ref(3), ref(40)), Count: num(2) });
    expect(codes(store([signedBase(), { 2: pages, 40: dict({ Type: name('Page'), Parent: ref(2) }) }]))).toEqual([
      'other:PAGE_TREE_CHANGED'
    ]);
  });

  it('flags a font swap in shared resources', () => {
    const base = signedBase();
    base[3] = (base[3] as PdfDict).clone().set('Resources', dict({ Font: dict({ F1: ref(8) }) }));
    expect(codes(store([base, { 8: dict({ Font: name('Evil') }) }]))).toEqual(['other:OBJECT_CHANGED']);
  });

  it('ignores a change to an object nothing references', () => {
    const base = { ...signedBase(), 50: dict({ Orphan: num(1) }) };
    expect(codes(store([base, { 50: dict({ Orphan: num(2) }) }]))).toEqual([]);
  });

  it('refuses an appearance stream clobbered while shared (pyHanko "sneaky")', () => {
    const base = signedBase();
    base[3] = (base[3] as PdfDict).clone().set('Resources', dict({ XObject: dict({ X: ref(7) }) }));
    expect(codes(store([base, { 7: stream('evil', { Type: name('XObject'), Subtype: name('Form') }) }]))).toEqual([
      'other:SHARED_APPEARANCE_CLOBBERED'
    ]);
  });

  it('flags a field value changed behind an unchanged appearance (shadow attack via form)', () => {
    const base = signedBase();
    (base[1] as PdfDict).set('AcroForm', dict({ Fields: arr(ref(5), ref(61)) }));
    base[61] = dict({
      FT: name('Tx'),
      T: str('amount'),
      V: str('100'),
      Subtype: name('Widget'),
      AP: dict({ N: ref(62) })
    });
    base[62] = stream('BT (100) Tj ET');
    const changed = dict({
      FT: name('Tx'),
      T: str('amount'),
      V: str('999'),
      Subtype: name('Widget'),
      AP: dict({ N: ref(62) })
    });
    expect(codes(store([base, { 61: changed }]))).toEqual(['other:FIELD_VALUE_APPEARANCE_MISMATCH']);
    const refreshed = dict({
      FT: name('Tx'),
      T: str('amount'),
      V: str('999'),
      Subtype: name('Widget'),
      AP: dict({ N: ref(63) })
    });
    expect(codes(store([base, { 61: refreshed, 63: stream('BT (999) Tj ET') }])).sort()).toEqual([
      'formFilling:APPEARANCE_UPDATED',
      'formFilling:FIELD_FILLED'
    ]);
  });

  it('flags FieldMDP-locked field filling and a later certification', () => {
    const base = signedBase();
    (base[1] as PdfDict).set('AcroForm', dict({ Fields: arr(ref(5), ref(60)) }));
    base[60] = dict({ FT: name('Tx'), T: str('amount'), V: str('100') });
    const s = store([base, { 60: dict({ FT: name('Tx'), T: str('amount'), V: str('999') }) }]);
    const changes = analyzeRevision(s, 1);
    expect(changes.map((c) => c.code)).toEqual(['FIELD_FILLED']);
    const lock = { revision: 0, docMdp: null, fieldMdp: { action: 'Include' as const, fields: ['amount'] } };
    expect(modificationsAfter(lock, [lock], changes)[0]).toMatchObject({
      code: 'LOCKED_FIELD_MODIFIED',
      permitted: false
    });
    const other = { revision: 0, docMdp: null, fieldMdp: { action: 'Exclude' as const, fields: ['amount'] } };
    expect(modificationsAfter(other, [other], changes)[0]!.permitted).toBe(true);
    const cert = [
      {
        revision: 1,
        level: 'formFilling' as const,
        code: 'SIGNATURE_ADDED',
        detail: '',
        fields: [],
        certification: true
      }
    ];
    expect(modificationsAfter(other, [other], cert)[0]).toMatchObject({
      code: 'CERTIFICATION_AFTER_SIGNATURE',
      permitted: false
    });
  });
});
