import { locale } from '$lib/i18n/i18n.svelte.ts';

/** Texts of the counterparty's signing page (kept here, apart from the drafting UI's catalogue). */
const ja = {
  title: '署名のご依頼',
  invalidLink: 'このリンクは完全ではありません。招待メールのリンクをそのまま開いてください。',
  missingSecret:
    'このリンクには文書を開く鍵（#k=…）が含まれていません。招待メールのリンクを省略せずに開くか、送信者に鍵付きのリンクを依頼してください。文書は復号されていません。',
  start: '本人確認のため、招待メールの宛先アドレスに 6 桁の確認コードを送ります。',
  sendCode: '確認コードを送る',
  codeSent: '{to} に確認コードを送りました（10 分間有効）。',
  code: '確認コード',
  verify: '確認して文書を開く',
  opening: '文書を復号しています…',
  ready: '{title} — 内容をご確認ください。',
  tampered: '文書が改ざんされているため表示できません。送信者に連絡してください。',
  wrongKey: 'このリンクの鍵ではこの文書を開けません。招待メールのリンクを使ってください。',
  failed: '文書を開けませんでした（{code}）: {message}',
  resend: 'コードを再送する',
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
  signedWaiting: '署名しました。ほかの署名者の署名を待っています。締結されるとメールでお知らせします。'
};
type Key = keyof typeof ja;
const en: Record<Key, string> = {
  title: 'Signature requested',
  invalidLink: 'This link is incomplete. Open the link from the invitation mail as it is.',
  missingSecret:
    'This link lacks the key that opens the document (#k=…). Open the complete link from the invitation mail, or ask the sender for the link with its key. Nothing was decrypted.',
  start: 'To confirm it is you, we send a 6-digit code to the address the invitation went to.',
  sendCode: 'Send the code',
  codeSent: 'A code was sent to {to} (valid for 10 minutes).',
  code: 'Confirmation code',
  verify: 'Confirm and open the document',
  opening: 'Decrypting the document…',
  ready: '{title} — please read the document.',
  tampered: 'The document was altered, so it is not shown. Please contact the sender.',
  wrongKey: 'The key in this link does not open this document. Use the link from the invitation mail.',
  failed: 'The document could not be opened ({code}): {message}',
  resend: 'Send a new code',
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
  signedWaiting: 'Signed. Waiting for the other signatures; you will get a mail when the contract is concluded.'
};

export type EnvelopeMessage = Key;

export function ts(key: Key, params: Record<string, string> = {}): string {
  const text = (locale.current === 'en' ? en : ja)[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? `{${k}}`);
}
