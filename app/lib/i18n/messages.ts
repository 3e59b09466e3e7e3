const ja = {
  'app.title': 'Inkan 印鑑 — 電子契約'
} as const;

type Keys = keyof typeof ja;
const en: Record<Keys, string> = {
  'app.title': 'Inkan — electronic contracts'
};

export type MessageKey = Keys;
export const messages: Record<'ja' | 'en', Record<Keys, string>> = { ja, en };
