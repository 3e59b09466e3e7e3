/**
 * The picture of a visible signature (ISO 32000-2 §12.7.4.5 widget /AP /N): signer name, signing time,
 * reason and location, with an optional 印影 on the left. Built in a throw-away pdf-lib document whose one
 * page *is* the appearance (MediaBox = [0 0 width height]); the pdf layer imports that page as the
 * widget's form XObject, copying the content stream and resources as they are.
 *
 * Text uses a subset of an embedded CJK TrueType font (Noto Sans JP by default, see font-node.ts):
 * every glyph is embedded, so the picture is the same in every viewer and PDF/A-friendly (no transparency,
 * no unembedded fonts). A character the font cannot draw is refused (`PADES_GLYPH_MISSING`), never shown
 * as a blank box.
 *
 * @example
 * const ap = await buildAppearance({ width: 220, height: 70, signerName: '山田 太郎', signedAt: new Date(),
 *   reason: '契約に同意します', seal: { kind: 'name', name: '山田' } }, await defaultFontBytes());
 */
import type { PDFDocument, PDFFont, PDFPage, RGB } from 'pdf-lib';
import { check, PadesError } from '../errors.ts';
import { padGlyphRecords } from './glyph-padding.ts';
import { SEAL_RED, sealLayout, type SealImage } from './seal.ts';
import { formatSigningTime } from './time.ts';

export interface AppearanceSpec {
  /** Widget size in points (1/72 inch). */
  readonly width: number;
  readonly height: number;
  readonly signerName: string;
  readonly signedAt: Date;
  readonly reason?: string;
  readonly location?: string;
  readonly seal?: SealImage;
  /** Zone in which the time is shown, minutes east of UTC (default 540 = JST). */
  readonly utcOffsetMinutes?: number;
  /** Line labels (default Japanese). */
  readonly labels?: { readonly time: string; readonly reason: string; readonly location: string };
}

/** A built appearance: a one-page PDF whose page is the picture. */
export interface SignatureAppearance {
  readonly width: number;
  readonly height: number;
  readonly pdf: Uint8Array;
}

const JA_LABELS = { time: '日時', reason: '理由', location: '場所' } as const;
/** pdf-lib and fontkit are loaded on first use only: invisible signing never pays for them. */
const lib = async () => {
  const [pdfLib, fontkit] = await Promise.all([import('pdf-lib'), import('@pdf-lib/fontkit')]);
  return { ...pdfLib, fontkit: fontkit.default };
};
type Lib = Awaited<ReturnType<typeof lib>>;
const PAD = 3;

interface GlyphCoverage {
  glyphForCodePoint(cp: number): { id: number };
}
const coverage = new WeakMap<Uint8Array, GlyphCoverage>();

function assertDrawable(L: Lib, font: Uint8Array, text: string): void {
  let f = coverage.get(font);
  if (!f) {
    f = (L.fontkit as unknown as { create(b: Uint8Array): GlyphCoverage }).create(font);
    coverage.set(font, f);
  }
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20) continue;
    if (f.glyphForCodePoint(cp).id === 0)
      throw new PadesError(
        'PADES_GLYPH_MISSING',
        `the appearance font has no glyph for "${ch}" (U+${cp.toString(16).toUpperCase()})`
      );
  }
}

/** Builds the appearance; `font` is a TrueType/OpenType file (see `defaultFontBytes()`). */
export async function buildAppearance(spec: AppearanceSpec, font: Uint8Array): Promise<SignatureAppearance> {
  check(
    spec.width >= 20 && spec.height >= 10 && spec.width <= 2000 && spec.height <= 2000,
    'appearance size out of range'
  );
  check(spec.signerName.trim().length > 0, 'signer name is empty');
  check(!Number.isNaN(spec.signedAt.getTime()), 'signedAt is not a date');
  const labels = spec.labels ?? JA_LABELS;
  const lines = [
    spec.signerName.trim(),
    `${labels.time}: ${formatSigningTime(spec.signedAt, spec.utcOffsetMinutes ?? 540)}`,
    ...(spec.reason ? [`${labels.reason}: ${spec.reason}`] : []),
    ...(spec.location ? [`${labels.location}: ${spec.location}`] : [])
  ];
  const sealName = spec.seal?.kind === 'name' ? spec.seal.name : '';
  const L = await lib();
  assertDrawable(L, font, lines.join('') + sealName);

  const doc = await L.PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(L.fontkit);
  const f = await doc.embedFont(padGlyphRecords(font), { subset: true });
  const page = doc.addPage([spec.width, spec.height]);
  page.drawRectangle({
    x: 0.5,
    y: 0.5,
    width: spec.width - 1,
    height: spec.height - 1,
    borderColor: L.rgb(0.55, 0.55, 0.6),
    borderWidth: 0.8
  });

  let textX = PAD + 2;
  if (spec.seal) {
    const side = Math.min(spec.height - 2 * PAD, spec.width * 0.4);
    await drawSeal(L, doc, page, f, spec.seal, PAD, (spec.height - side) / 2, side);
    textX = PAD + side + 4;
  }
  drawLines(L.rgb(0.1, 0.1, 0.12), page, f, lines, textX, spec.width - textX - PAD, spec.height);
  return { width: spec.width, height: spec.height, pdf: await doc.save({ useObjectStreams: false }) };
}

function drawLines(ink: RGB, page: PDFPage, f: PDFFont, lines: string[], x: number, w: number, h: number): void {
  // name line 1.3× the others; leading 1.2
  const units = 1.3 * 1.2 + (lines.length - 1) * 1.2;
  const base = Math.min((h - 2 * PAD) / units, 11);
  let y = h - PAD;
  lines.forEach((text, i) => {
    let size = i === 0 ? base * 1.3 : base;
    const natural = f.widthOfTextAtSize(text, size);
    if (natural > w) size = (size * w) / natural;
    y -= (i === 0 ? base * 1.3 : base) * 1.2;
    page.drawText(text, { x, y: y + base * 0.25, size, font: f, color: ink });
  });
}

async function drawSeal(
  L: Lib,
  doc: PDFDocument,
  page: PDFPage,
  f: PDFFont,
  seal: SealImage,
  x: number,
  y: number,
  side: number
): Promise<void> {
  if (seal.kind === 'png' || seal.kind === 'jpeg') {
    let img;
    try {
      img = seal.kind === 'png' ? await doc.embedPng(seal.bytes) : await doc.embedJpg(seal.bytes);
    } catch (e) {
      throw new PadesError('PADES_BAD_IMAGE', `seal image is not a readable ${seal.kind.toUpperCase()}`, { cause: e });
    }
    const k = Math.min(side / img.width, side / img.height);
    page.drawImage(img, {
      x: x + (side - img.width * k) / 2,
      y: y + (side - img.height * k) / 2,
      width: img.width * k,
      height: img.height * k
    });
    return;
  }
  const l = sealLayout(seal.name);
  const red = L.rgb(SEAL_RED.r, SEAL_RED.g, SEAL_RED.b);
  page.drawCircle({
    x: x + l.ring.cx * side,
    y: y + l.ring.cy * side,
    size: l.ring.r * side,
    borderColor: red,
    borderWidth: l.ring.width * side
  });
  for (const g of l.glyphs) {
    const size = g.size * side;
    const w = f.widthOfTextAtSize(g.ch, size);
    // Noto's CJK em box spans about -0.12..0.88 em around the baseline: centre it on the cell.
    page.drawText(g.ch, { x: x + g.x * side - w / 2, y: y + g.y * side - size * 0.38, size, font: f, color: red });
  }
}
