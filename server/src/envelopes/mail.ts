import type { Envelope } from '@inkan/protocol';
import type { OutgoingMail } from './ports.ts';

/**
 * The signing link: `{publicUrl}/sign/{envelopeId}?t={accessToken}`, plus `#k={linkSecret}` only when the sender
 * opted in to mailing the key for this invitation. The secret then passes through memory while the mail is sent;
 * it is not stored or logged anywhere on the server.
 */
export function signingLink(publicUrl: string, envelopeId: string, accessToken: string, linkSecret?: string): string {
  const url = `${publicUrl}/sign/${encodeURIComponent(envelopeId)}?t=${encodeURIComponent(accessToken)}`;
  return linkSecret ? `${url}#k=${linkSecret}` : url;
}

/**
 * The invitation. By default the link has no key: the sender hands the key (鍵) to the counterparty on another
 * channel, and the mail says so and where to enter it, so that whoever reads this one mailbox cannot open the
 * document alone. With the sender's opt-in the link carries it and the mail asks not to forward it.
 */
export function invitationMail(
  env: Envelope,
  sender: { name: string; email: string },
  to: { name: string; email: string },
  link: string,
  hasSecret: boolean,
  resent = false
): OutgoingMail {
  const keyNote = hasSecret
    ? `\nこのリンクには文書を開く鍵が含まれています。転送しないでください。\n` +
      `This link contains the key that opens the document: do not forward it.\n`
    : `\n文書を開く鍵（鍵）はこのメールには含まれていません。${sender.name} さんから電話・SMS・対面など別の方法で` +
      `お伝えします。リンクを開いたページの「送信者から受け取った鍵」欄に入力してください。\n` +
      `The key that opens the document is not in this mail: ${sender.name} will give it to you separately ` +
      `(phone, SMS, in person). Enter it in the "Key from the sender" field of the page the link opens.\n`;
  const again = resent
    ? { ja: '（再送）以前のリンクは無効になりました。\n', en: ' (sent again: the earlier link no longer works)' }
    : { ja: '', en: '' };
  return {
    to: to.email,
    subject: `【Inkan】署名のお願い${resent ? '（再送）' : ''}: ${env.title}`,
    text:
      `${to.name} 様\n\n${sender.name} (${sender.email}) さんから「${env.title}」への署名依頼が届いています。\n` +
      again.ja +
      `次のリンクを開くと、このアドレス宛てに確認コードが送られます。\n\n${link}\n${keyNote}\n` +
      `${sender.name} (${sender.email}) asks you to sign "${env.title}"${again.en}. Open the link above; a ` +
      `confirmation code will be sent to this address.\n`
  };
}

/**
 * Sent to every participant when the envelope completes. The sender gets a link to the envelope in the app; a
 * counterparty is pointed back to the invitation's link and the key they hold (in that link or received apart).
 */
export function completionMail(
  env: Envelope,
  to: { name: string; email: string },
  appLink: string | null
): OutgoingMail {
  const where = appLink
    ? { ja: `署名済みの文書は次から取得できます: ${appLink}`, en: `Download the signed document: ${appLink}` }
    : {
        ja: '署名済みの文書は、招待メールのリンクから取得できます（確認コードと、別に受け取った鍵があればその鍵を入力してください）。',
        en:
          'Open the link in your invitation mail to download the signed document (enter the code, and the key if ' +
          'the sender gave it to you separately).'
      };
  return {
    to: to.email,
    subject: `【Inkan】締結完了: ${env.title}`,
    text:
      `${to.name} 様\n\n「${env.title}」は全員の署名が揃い、締結されました。\n${where.ja}\n\n` +
      `"${env.title}" is signed by everyone. ${where.en}\n`
  };
}
