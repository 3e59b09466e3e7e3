import type { Envelope } from '@inkan/protocol';
import type { OutgoingMail } from './ports.ts';

/**
 * The signing link: `{publicUrl}/sign/{envelopeId}?t={accessToken}#k={linkSecret}`. The fragment is added only when
 * the sender's browser handed it over for this mail; it is not stored or logged anywhere on the server.
 */
export function signingLink(publicUrl: string, envelopeId: string, accessToken: string, linkSecret?: string): string {
  const url = `${publicUrl}/sign/${encodeURIComponent(envelopeId)}?t=${encodeURIComponent(accessToken)}`;
  return linkSecret ? `${url}#k=${linkSecret}` : url;
}

export function invitationMail(
  env: Envelope,
  sender: { name: string; email: string },
  to: { name: string; email: string },
  link: string,
  hasSecret: boolean
): OutgoingMail {
  const secretNote = hasSecret
    ? ''
    : `\n文書を開く鍵はこのメールに含まれていません。${sender.name} さんから別途届く鍵付きのリンクを使ってください。\n` +
      `The key to open the document is not in this mail: ${sender.name} sends the full link separately.\n`;
  return {
    to: to.email,
    subject: `【Inkan】署名のお願い: ${env.title}`,
    text:
      `${to.name} 様\n\n${sender.name} (${sender.email}) さんから「${env.title}」への署名依頼が届いています。\n` +
      `次のリンクを開くと、このアドレス宛てに確認コードが送られます。\n\n${link}\n${secretNote}\n` +
      `${sender.name} (${sender.email}) asks you to sign "${env.title}". Open the link above; a confirmation code ` +
      `will be sent to this address.\n`
  };
}

/**
 * Sent to every participant when the envelope completes. The sender gets a link to the envelope in the app; a
 * counterparty is pointed back to the invitation's link, which alone carries the key to their copy.
 */
export function completionMail(
  env: Envelope,
  to: { name: string; email: string },
  appLink: string | null
): OutgoingMail {
  const where = appLink
    ? { ja: `署名済みの文書は次から取得できます: ${appLink}`, en: `Download the signed document: ${appLink}` }
    : {
        ja: '署名済みの文書は、招待メールのリンクから（確認コードの入力後）取得できます。',
        en: 'Open the link in your invitation mail (and enter the code) to download the signed document.'
      };
  return {
    to: to.email,
    subject: `【Inkan】締結完了: ${env.title}`,
    text:
      `${to.name} 様\n\n「${env.title}」は全員の署名が揃い、締結されました。\n${where.ja}\n\n` +
      `"${env.title}" is signed by everyone. ${where.en}\n`
  };
}
