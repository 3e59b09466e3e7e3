/**
 * Node-only: the default appearance font, Noto Sans JP Regular (SIL Open Font License 1.1, redistributable;
 * license text in node_modules/@expo-google-fonts/noto-sans-jp/LICENSE_FONT). TrueType outlines, so
 * pdf-lib's fontkit can subset it: only the glyphs an appearance uses are embedded (a few KB).
 * In the browser, fetch the same file as a static asset and pass its bytes as `font`.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const FONT = '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf';
let cached: Promise<Uint8Array> | undefined;

/** The bytes of Noto Sans JP Regular (~5.7 MB, read once per process). */
export function defaultFontBytes(): Promise<Uint8Array> {
  cached ??= readFile(createRequire(import.meta.url).resolve(FONT)).then((b) => new Uint8Array(b));
  return cached;
}
