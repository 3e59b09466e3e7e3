/**
 * Judged by poppler: the appearance is drawn into a page, rasterised with pdftoppm and the pixels are
 * counted (red seal ink where the seal is, dark text ink where the text is); pdftotext reads the Japanese
 * text back through the embedded subset font's ToUnicode map and pdffonts confirms the font is embedded.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAppearance, type AppearanceSpec } from './appearance.ts';
import { defaultFontBytes } from './font-node.ts';
import { sealLayout, sealSvg } from './seal.ts';
import { formatSigningTime } from './time.ts';

let font: Uint8Array;
const work = mkdtempSync(join(tmpdir(), 'inkan-ap-'));
beforeAll(async () => {
  font = await defaultFontBytes();
});

const base: AppearanceSpec = {
  width: 240,
  height: 80,
  signerName: '山田 太郎',
  signedAt: new Date('2026-11-25T09:04:00Z'),
  reason: '契約内容に同意します',
  location: '東京都千代田区'
};

/** Puts the appearance on a page exactly its size, renders at 144 dpi, returns RGB pixels. */
async function render(pdf: Uint8Array, name: string) {
  const doc = await PDFDocument.create();
  const [emb] = await doc.embedPdf(pdf, [0]);
  const page = doc.addPage([emb.width, emb.height]);
  page.drawPage(emb, { x: 0, y: 0 });
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, await doc.save());
  execFileSync('pdftoppm', ['-r', '144', '-singlefile', file, join(work, name)]);
  const ppm = readFileSync(join(work, `${name}.ppm`));
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const [w, h] = [Number(header[1]), Number(header[2])];
  const data = ppm.subarray(header[0].length);
  const count = (
    x0: number,
    x1: number,
    pred: (r: number, g: number, b: number) => boolean,
    y0 = 0,
    y1 = 1
  ): number => {
    let n = 0;
    for (let y = Math.floor(y0 * h); y < Math.floor(y1 * h); y++)
      for (let x = Math.floor(x0 * w); x < Math.floor(x1 * w); x++) {
        const i = (y * w + x) * 3;
        if (pred(data[i], data[i + 1], data[i + 2])) n++;
      }
    return n;
  };
  const red = (r: number, g: number, b: number) => r > 150 && g < 90 && b < 90;
  const dark = (r: number, g: number, b: number) => r < 90 && g < 90 && b < 90;
  return { file, w, h, count, red, dark };
}

describe('visible signature appearance', () => {
  it('renders Japanese text with an embedded subset font and a generated red 印影', async () => {
    const ap = await buildAppearance({ ...base, seal: { kind: 'name', name: '山田' } }, font);
    expect(ap.pdf.length).toBeLessThan(60_000); // a subset, not the 5.7 MB font
    const r = await render(ap.pdf, 'seal');
    const sealShare = 80 / 240; // the seal sits in a square as high as the box, on the left
    expect(r.count(0, sealShare, r.red)).toBeGreaterThan(800);
    expect(r.count(sealShare, 1, r.red)).toBe(0);
    expect(r.count(sealShare, 1, r.dark)).toBeGreaterThan(800);
    const text = execFileSync('pdftotext', [r.file, '-']).toString('utf8');
    expect(text).toContain('山田 太郎');
    expect(text).toContain('契約内容に同意します');
    expect(text).toContain('2026-11-25 18:04 JST');
    const fonts = execFileSync('pdffonts', [r.file]).toString('utf8');
    expect(fonts).toMatch(/NotoSansJP\S*\s+CID TrueType\s+Identity-H\s+yes/); // embedded (a subset: see the size check)
  });

  it('draws every character (no glyph lost by font subsetting)', async () => {
    // Six characters in one generated seal: each cell of the seal must hold that glyph's red ink.
    for (const name of ['日時理由契約', '山田太郎同意', '東京都千代区']) {
      const ap = await buildAppearance({ ...base, width: 200, height: 80, seal: { kind: 'name', name } }, font);
      const r = await render(ap.pdf, `glyphs-${name.codePointAt(0)}`);
      const side = 74; // the seal square: height - 2 × 3 pt padding, at (3, 3)
      for (const g of sealLayout(name).glyphs) {
        const [cx, cy] = [(3 + g.x * side) / 200, 1 - (3 + g.y * side) / 80];
        const [dx, dy] = [(g.size * side * 0.35) / 200, (g.size * side * 0.35) / 80];
        const ink = r.count(cx - dx, cx + dx, r.red, cy - dy, cy + dy);
        expect(ink, `ink of ${g.ch}`).toBeGreaterThan(40);
      }
    }
  });

  it('without a seal draws no red ink; with a PNG seal draws the image', async () => {
    const plain = await render((await buildAppearance(base, font)).pdf, 'plain');
    expect(plain.count(0, 1, plain.red)).toBe(0);
    expect(plain.count(0, 1, plain.dark)).toBeGreaterThan(800);
    // a PNG seal: render the generated seal alone with pdftoppm -png, then use that PNG as the image
    const sealOnly = await buildAppearance(
      { ...base, width: 80, height: 80, signerName: ' ', seal: { kind: 'name', name: '佐藤' } },
      font
    ).catch((e: { code: string }) => e);
    expect((sealOnly as { code: string }).code).toBe('PADES_INVALID_ARGUMENT'); // empty name refused
    const ap = await buildAppearance({ ...base, seal: { kind: 'name', name: '佐藤' } }, font);
    const r1 = await render(ap.pdf, 'for-png');
    execFileSync('pdftoppm', [
      '-r',
      '72',
      '-png',
      '-singlefile',
      '-x',
      '0',
      '-y',
      '0',
      '-W',
      '80',
      '-H',
      '80',
      r1.file,
      join(work, 'seal')
    ]);
    const png = readFileSync(join(work, 'seal.png'));
    const withPng = await render(
      (await buildAppearance({ ...base, seal: { kind: 'png', bytes: png } }, font)).pdf,
      'png'
    );
    expect(withPng.count(0, 80 / 240, withPng.red)).toBeGreaterThan(500);
    await expect(
      buildAppearance({ ...base, seal: { kind: 'png', bytes: new Uint8Array([1, 2, 3]) } }, font)
    ).rejects.toMatchObject({
      code: 'PADES_BAD_IMAGE'
    });
  });

  it('refuses characters the font cannot draw instead of showing blank boxes', async () => {
    await expect(buildAppearance({ ...base, signerName: '🙂' }, font)).rejects.toMatchObject({
      code: 'PADES_GLYPH_MISSING'
    });
  });

  it('lays seal characters out top-to-bottom, right column first', () => {
    const two = sealLayout('山田').glyphs;
    expect(two.map((g) => g.ch)).toEqual(['山', '田']);
    expect(two[0].y).toBeGreaterThan(two[1].y);
    const four = sealLayout('山田太郎').glyphs;
    expect(four[0].x).toBeGreaterThan(four[2].x); // 山田 on the right, 太郎 on the left
    expect(four[0].y).toBeGreaterThan(four[1].y);
    expect(() => sealLayout('')).toThrow();
    expect(sealSvg('山田')).toContain('>山</text>');
  });

  it('formats the signing time in the chosen zone', () => {
    const t = new Date('2026-11-25T23:30:00Z');
    expect(formatSigningTime(t)).toBe('2026-11-26 08:30 JST');
    expect(formatSigningTime(t, 0)).toBe('2026-11-25 23:30 UTC');
    expect(formatSigningTime(t, -300)).toBe('2026-11-25 18:30 UTC-05:00');
  });
});
