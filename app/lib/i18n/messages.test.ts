import { describe, expect, it } from 'vitest';
import { messages } from './messages.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  it('has a non-empty Japanese and English text for every key, with the same placeholders', () => {
    for (const [key, ja] of Object.entries(messages.ja)) {
      const en = messages.en[key as keyof typeof messages.en];
      expect(ja.trim(), key).not.toBe('');
      expect(en.trim(), key).not.toBe('');
      expect(placeholders(en), key).toEqual(placeholders(ja));
    }
  });

  it('keeps one flat table per language, keys grouped by feature prefix in sorted order', () => {
    const keys = Object.keys(messages.ja);
    expect(Object.keys(messages.en)).toEqual(keys);
    const prefixes = keys.map((k) => k.split('.')[0]!);
    const groups = prefixes.filter((p, i) => p !== prefixes[i - 1]);
    expect(groups).toEqual([...new Set(groups)].sort());
  });
});
