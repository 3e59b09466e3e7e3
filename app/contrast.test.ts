import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// WCAG 2.2 §1.4.3: text needs a contrast ratio of at least 4.5:1 with its background.
const css = readFileSync(resolve(process.cwd(), 'app/app.css'), 'utf8');
const tokens = Object.fromEntries([...css.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1], m[2]]));

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const ratio = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('colour tokens in app.css', () => {
  it.each([
    ['ink', 'surface'],
    ['ink', 'bg'],
    ['ink-muted', 'surface'],
    ['ink-muted', 'bg'],
    ['primary', 'surface'],
    ['primary', 'primary-soft'],
    ['danger', 'surface'],
    ['danger', 'danger-soft'],
    ['success', 'surface'],
    ['seal', 'surface']
  ])('%s on %s reaches 4.5:1', (fg, bg) => {
    expect(tokens[fg], fg).toBeDefined();
    expect(tokens[bg], bg).toBeDefined();
    expect(ratio(tokens[fg]!, tokens[bg]!)).toBeGreaterThanOrEqual(4.5);
  });

  it('white button text on the primary and danger colours reaches 4.5:1', () => {
    expect(ratio('#ffffff', tokens['primary']!)).toBeGreaterThanOrEqual(4.5);
    expect(ratio('#ffffff', tokens['danger']!)).toBeGreaterThanOrEqual(4.5);
  });

  it('field colours (自分 blue, 相手方 brown) read on white', () => {
    expect(ratio('#1d4f91', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(ratio('#9a4a00', '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
});
