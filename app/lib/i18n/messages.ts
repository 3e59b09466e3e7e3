// One flat table per language, keys grouped and sorted by feature prefix (app, drafts, home, intake, locale,
// viewer, …). Japanese is the source of truth; English must have exactly the same keys (the type enforces it).
const ja = {
  'app.brand': 'Inkan 印鑑',
  'app.skip': '本文へ移動',
  'app.tagline': 'ブラウザで完結する電子契約',
  'app.title': 'Inkan 印鑑 — 電子契約',

  'drafts.created': '作成日時',
  'drafts.delete': '削除',
  'drafts.deleteConfirm': '下書き「{title}」を削除しますか？',
  'drafts.deleteLabel': '「{title}」を削除',
  'drafts.empty': '下書きはまだありません。PDF を選ぶとここに保存されます。',
  'drafts.heading': '下書き',
  'drafts.notFound': 'この下書きは見つかりませんでした。削除された可能性があります。',
  'drafts.offlineNote': '下書きはこの端末のブラウザ内にだけ保存され、オフラインでも開けます。',
  'drafts.open': '開く',
  'drafts.openLabel': '「{title}」を開く',
  'drafts.pages': '{count} ページ',
  'drafts.size': 'サイズ',
  'drafts.title': '件名',

  'home.choose': 'PDF ファイルを選択',
  'home.dropHint': 'またはここに PDF をドラッグ＆ドロップ',
  'home.dropLabel': 'PDF ファイルのドロップ領域',
  'home.intro':
    '契約書の PDF を選ぶと、この端末に下書きとして保存します。ファイルがサーバーに送られることはありません。',
  'home.limits': 'PDF 形式・最大 {max}',
  'home.newContract': '新しい契約書',

  'intake.cancel': '中止',
  'intake.cancelled': '読み込みを中止しました。',
  'intake.dismiss': '閉じる',
  'intake.error.corrupt': 'PDF を読み取れませんでした。ファイルが壊れている可能性があります。',
  'intake.error.empty': 'ファイルが空です（0 バイト）。別のファイルを選んでください。',
  'intake.error.encrypted': 'パスワードで保護された PDF は使えません。保護を解除してから選んでください。',
  'intake.error.notPdf': 'PDF ファイルではありません。PDF 形式のファイルを選んでください。',
  'intake.error.read': 'ファイルを読み込めませんでした。もう一度お試しください。',
  'intake.error.storage': '下書きを保存できませんでした。端末の空き容量を確認してください。',
  'intake.error.tooLarge': 'ファイルが大きすぎます（最大 {max}）。',
  'intake.errorTitle': 'このファイルは使えません',
  'intake.phase.hashing': '指紋（SHA-256）を計算しています…',
  'intake.phase.parsing': 'PDF を解析しています…',
  'intake.phase.reading': 'ファイルを読み込んでいます…',
  'intake.phase.saving': '下書きを保存しています…',
  'intake.progressLabel': '読み込みの進行状況',

  'locale.label': '表示言語',

  'viewer.back': '下書き一覧へ',
  'viewer.fit': '幅に合わせる',
  'viewer.loading': 'PDF を表示しています…',
  'viewer.page': '{n} / {count} ページ',
  'viewer.pageLabel': '{n} ページ目',
  'viewer.pageCount': '全 {count} ページ',
  'viewer.toolbar': '表示の操作',
  'viewer.zoomIn': '拡大',
  'viewer.zoomLevel': '表示倍率',
  'viewer.zoomOut': '縮小'
} as const;

type Keys = keyof typeof ja;
const en: Record<Keys, string> = {
  'app.brand': 'Inkan 印鑑',
  'app.skip': 'Skip to content',
  'app.tagline': 'Electronic contracts, completed in your browser',
  'app.title': 'Inkan — electronic contracts',

  'drafts.created': 'Created',
  'drafts.delete': 'Delete',
  'drafts.deleteConfirm': 'Delete the draft “{title}”?',
  'drafts.deleteLabel': 'Delete “{title}”',
  'drafts.empty': 'No drafts yet. Choose a PDF and it will be kept here.',
  'drafts.heading': 'Drafts',
  'drafts.notFound': 'This draft was not found. It may have been deleted.',
  'drafts.offlineNote': 'Drafts are stored only in this browser on this device and open offline.',
  'drafts.open': 'Open',
  'drafts.openLabel': 'Open “{title}”',
  'drafts.pages': '{count} pages',
  'drafts.size': 'Size',
  'drafts.title': 'Title',

  'home.choose': 'Choose a PDF file',
  'home.dropHint': 'or drag and drop a PDF here',
  'home.dropLabel': 'Drop zone for PDF files',
  'home.intro':
    'Choose the contract PDF and it is saved as a draft on this device. The file is never sent to a server.',
  'home.limits': 'PDF only · up to {max}',
  'home.newContract': 'New contract',

  'intake.cancel': 'Cancel',
  'intake.cancelled': 'Reading was cancelled.',
  'intake.dismiss': 'Dismiss',
  'intake.error.corrupt': 'The PDF could not be read. The file may be damaged.',
  'intake.error.empty': 'The file is empty (0 bytes). Please choose another file.',
  'intake.error.encrypted': 'Password-protected PDFs cannot be used. Remove the protection and choose it again.',
  'intake.error.notPdf': 'This is not a PDF file. Please choose a file in PDF format.',
  'intake.error.read': 'The file could not be read. Please try again.',
  'intake.error.storage': 'The draft could not be saved. Check the free space on this device.',
  'intake.error.tooLarge': 'The file is too large (up to {max}).',
  'intake.errorTitle': 'This file cannot be used',
  'intake.phase.hashing': 'Computing the fingerprint (SHA-256)…',
  'intake.phase.parsing': 'Parsing the PDF…',
  'intake.phase.reading': 'Reading the file…',
  'intake.phase.saving': 'Saving the draft…',
  'intake.progressLabel': 'Reading progress',

  'locale.label': 'Language',

  'viewer.back': 'Back to drafts',
  'viewer.fit': 'Fit width',
  'viewer.loading': 'Rendering the PDF…',
  'viewer.page': 'Page {n} of {count}',
  'viewer.pageLabel': 'Page {n}',
  'viewer.pageCount': '{count} pages',
  'viewer.toolbar': 'View controls',
  'viewer.zoomIn': 'Zoom in',
  'viewer.zoomLevel': 'Zoom level',
  'viewer.zoomOut': 'Zoom out'
};

export type MessageKey = Keys;
export const messages: Record<'ja' | 'en', Record<Keys, string>> = { ja, en };
