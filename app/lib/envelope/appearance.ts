/// <reference types="vite/client" />
import { buildAppearance, type SealImage, type SignatureAppearance } from '@inkan/pades';
import type { Participant } from '@inkan/protocol';

let font: Promise<Uint8Array> | undefined;

/**
 * Noto Sans JP (SIL OFL), the font the signature picture is drawn with. About 5.7 MB, so it is fetched only when
 * someone signs, once per page; fontkit then embeds just the glyphs used.
 */
function fontBytes(): Promise<Uint8Array> {
  font ??= import('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf?url')
    .then((m: { default: string }) => fetch(m.default))
    .then(async (r) => {
      if (!r.ok) throw new Error(`font: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    });
  font.catch(() => (font = undefined));
  return font;
}

/** The visible signature for a participant's first field: name, time, reason and the adopted seal or drawing. */
export async function appearanceFor(
  participant: Participant,
  seal: SealImage,
  signedAt: Date
): Promise<SignatureAppearance | undefined> {
  const f = participant.fields[0];
  if (!f) return undefined;
  return buildAppearance(
    {
      width: f.width,
      height: f.height,
      signerName: participant.name,
      signedAt,
      reason: participant.signingType === 'jitsuin' ? '実印' : '契約印',
      seal
    },
    await fontBytes()
  );
}

/** The family name (the first word of "佐藤 花子"), which the generated 印影 shows. */
export function familyName(name: string): string {
  return name.trim().split(/\s+/)[0] || name;
}
