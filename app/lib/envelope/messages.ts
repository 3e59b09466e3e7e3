import { locale } from '$lib/i18n/i18n.svelte.ts';

/** Texts of the counterparty's signing page (kept here, apart from the drafting UI's catalogue). */
const ja = {
  title: '署名のご依頼',
  invalidLink: 'このリンクは完全ではありません。招待メールのリンクをそのまま開いてください。',
  missingSecret:
    '文書を開くには、送信者から別の経路（電話やチャットなど）で受け取る鍵が必要です。サーバーはこの鍵を受け取らないため、メールのリンクには含まれていません。文書はまだ復号されていません。',
  start: '本人確認のため、招待メールの宛先アドレスに 6 桁の確認コードを送ります。',
  sendCode: '確認コードを送る',
  codeSent: '{to} に確認コードを送りました（10 分間有効）。',
  code: '確認コード',
  verify: '確認して文書を開く',
  opening: '文書を復号しています…',
  ready: '{title} — 内容をご確認ください。',
  tampered: '文書が改ざんされているため表示できません。送信者に連絡してください。',
  wrongKey:
    'この鍵ではこの文書を開けません（文書は復号されていません）。送信者から受け取った鍵を確かめて、もう一度入力してください。',
  signatureEmpty: 'まだ署名が書かれていません。枠の中に指で署名を書いてから、もう一度押してください。',
  tsaDown:
    'タイムスタンプ局に接続できないため、署名できませんでした。何もアップロードされていません。しばらくしてから、もう一度署名してください。',
  failed: '文書を開けませんでした（{code}）: {message}',
  resend: 'コードを再送する',
  codeWrong: '確認コードが違います。{left}',
  codeLeft: 'あと {n} 回入力できます。',
  codeExpired: '確認コードの有効期限が切れました。「コードを再送する」で新しいコードを受け取ってください。',
  codeTooMany: '確認コードを 5 回間違えました。「コードを再送する」で新しいコードを受け取ってください。',
  sign: '契約印で署名する',
  signing: '署名しています…',
  completed: '署名が完了し、契約が締結されました。',
  eventLog: '記録',
  'event.created': '作成',
  'event.sent': '送信',
  'event.viewed': '閲覧',
  'event.signed': '署名',
  'event.completed': '締結',
  'status.draft': '下書き',
  'status.sent': '署名待ち',
  'status.signed': '全員署名済み（長期保存処理待ち）',
  'status.completed': '締結済み',
  'participant.pending': '未開封',
  'participant.viewed': '閲覧済み',
  'participant.signed': '署名済み',
  download: '署名済み PDF を保存',
  adopt: '署名の図柄',
  adoptSeal: '印影（自動生成）',
  adoptDraw: '指で書く',
  clear: '消す',
  signJitsuin: '実印で署名する',
  keysHeading: '相手方に渡す鍵',
  keysExplain:
    '相手方の署名リンクには、文書を開く鍵が含まれていません（サーバーは鍵を受け取っていません）。下の鍵を、電話やチャットなど、できればメール以外の経路で相手方に伝えてください。相手方はリンクを開いたあと、この鍵を入力します。',
  keysMailed:
    '鍵は招待メールのリンクに含めて送りました（サーバーには保存されていません）。相手方がリンクを省略して開いた場合などは、下の鍵を伝えてください。',
  keyFor: '{name} さんの鍵',
  copy: 'コピー',
  copied: 'コピーしました',
  share: '共有…',
  mailKey: 'メールで送る',
  keyShareSubject: '【Inkan】「{title}」の文書を開く鍵',
  keyShareBody:
    '「{title}」の署名依頼メールのリンクを開き、確認コードを入力したあと、次の鍵を入力してください。\n\n{key}',
  keyMissing: 'この契約は別の端末から送信されたため、相手方の鍵はこの端末にはありません。',
  keyInput: '送信者から受け取った鍵',
  keyInputHint: '送信者から別の経路で受け取った鍵（43 文字）、または #k= を含むリンクを貼り付けてください。',
  keySubmit: '鍵を使って文書を開く',
  keyMalformed:
    '鍵の形式が正しくありません。送信者から受け取った 43 文字の鍵、または #k= を含むリンクをそのまま貼り付けてください。',
  signedWaiting: '署名しました。ほかの署名者の署名を待っています。締結されるとメールでお知らせします。'
};
type Key = keyof typeof ja;
const en: Record<Key, string> = {
  title: 'Signature requested',
  invalidLink: 'This link is incomplete. Open the link from the invitation mail as it is.',
  missingSecret:
    'To open the document you need the key the sender gives you another way (phone, chat…). The server never receives this key, so the link in the mail does not contain it. Nothing has been decrypted.',
  start: 'To confirm it is you, we send a 6-digit code to the address the invitation went to.',
  sendCode: 'Send the code',
  codeSent: 'A code was sent to {to} (valid for 10 minutes).',
  code: 'Confirmation code',
  verify: 'Confirm and open the document',
  opening: 'Decrypting the document…',
  ready: '{title} — please read the document.',
  tampered: 'The document was altered, so it is not shown. Please contact the sender.',
  wrongKey:
    'This key does not open this document (nothing was decrypted). Check the key from the sender and enter it again.',
  signatureEmpty: 'Nothing is drawn yet. Draw your signature in the box with your finger, then press again.',
  tsaDown:
    'The timestamp authority could not be reached, so the document was not signed and nothing was uploaded. Please sign again in a moment.',
  failed: 'The document could not be opened ({code}): {message}',
  resend: 'Send a new code',
  codeWrong: 'That code is not right. {left}',
  codeLeft: '{n} tries left.',
  codeExpired: 'The code has expired. Use “Send a new code” to get a new one.',
  codeTooMany: 'The code was wrong 5 times. Use “Send a new code” to get a new one.',
  sign: 'Sign (platform seal)',
  signing: 'Signing…',
  completed: 'Signed: the contract is concluded.',
  eventLog: 'Record',
  'event.created': 'Created',
  'event.sent': 'Sent',
  'event.viewed': 'Viewed',
  'event.signed': 'Signed',
  'event.completed': 'Completed',
  'status.draft': 'Draft',
  'status.sent': 'Awaiting signatures',
  'status.signed': 'Signed by everyone (long-term extension pending)',
  'status.completed': 'Completed',
  'participant.pending': 'not opened',
  'participant.viewed': 'viewed',
  'participant.signed': 'signed',
  download: 'Save the signed PDF',
  adopt: 'Signature picture',
  adoptSeal: 'Seal (generated)',
  adoptDraw: 'Draw with your finger',
  clear: 'Clear',
  signJitsuin: 'Sign with my own certificate (実印)',
  keysHeading: 'Keys to pass on to the counterparty',
  keysExplain:
    'The counterparty’s signing link does not contain the key that opens the document (the server never received it). Pass the key below on yourself, preferably not by e-mail (phone, chat…). The counterparty types it in after opening the link.',
  keysMailed:
    'The key went out inside the invitation link (the server did not store it). If the counterparty opens the link without it, pass on the key below.',
  keyFor: 'Key for {name}',
  copy: 'Copy',
  copied: 'Copied',
  share: 'Share…',
  mailKey: 'Send by e-mail',
  keyShareSubject: '[Inkan] The key to open “{title}”',
  keyShareBody:
    'Open the link in the signing request for “{title}”, enter the confirmation code, then type this key:\n\n{key}',
  keyMissing: 'This envelope was sent from another device, so the counterparties’ keys are not on this one.',
  keyInput: 'Key from the sender',
  keyInputHint: 'Paste the key the sender gave you another way (43 characters), or a link that contains #k=.',
  keySubmit: 'Open the document with this key',
  keyMalformed:
    'That is not a valid key. Paste the 43-character key from the sender, or a link that contains #k=, as it is.',
  signedWaiting: 'Signed. Waiting for the other signatures; you will get a mail when the contract is concluded.'
};

export type EnvelopeMessage = Key;

export function ts(key: Key, params: Record<string, string> = {}): string {
  const text = (locale.current === 'en' ? en : ja)[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? `{${k}}`);
}
