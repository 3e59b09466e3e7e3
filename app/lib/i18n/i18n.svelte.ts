import { messages, type MessageKey } from './messages.ts';
export type { MessageKey };

export type Locale = 'ja' | 'en';

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('inkan.locale') : null;

/** The UI language: Japanese first, English second. */
export const locale = $state<{ current: Locale }>({ current: stored === 'en' ? 'en' : 'ja' });
if (typeof document !== 'undefined') document.documentElement.lang = locale.current;

export function setLocale(l: Locale): void {
  locale.current = l;
  if (typeof localStorage !== 'undefined') localStorage.setItem('inkan.locale', l);
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}

/** Translates a message key, filling `{name}` placeholders. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text: string = messages[locale.current][key] ?? messages.ja[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}
