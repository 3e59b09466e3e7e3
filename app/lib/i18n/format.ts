import { locale } from './i18n.svelte.ts';

/** 1536 → "1.5 KB"; binary multiples, one decimal below 10 units. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** A date and time in the UI language, e.g. 2026/11/25 18:04 (ja) or Nov 25, 2026, 6:04 PM (en). */
export function formatDateTime(ms: number): string {
  const tag = locale.current === 'ja' ? 'ja-JP' : 'en-US';
  return new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}
