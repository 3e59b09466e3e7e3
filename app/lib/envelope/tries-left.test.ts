import { describe, expect, it } from 'vitest';
import { triesLeft } from './tries-left.ts';

describe('triesLeft', () => {
  it.each([
    ['wrong code (4 tries left)', 4],
    ['wrong code (1 try left)', 1],
    ['wrong code (0 tries left)', 0],
    ['ask for a confirmation code first', null]
  ])('%s → %s', (message, n) => expect(triesLeft(message)).toBe(n));
});
