import { describe, expect, it } from 'vitest';
import { RateLimiter } from './limiter.ts';

describe('RateLimiter', () => {
  it('allows a burst, refuses the next, refills with time, keeps clients apart', () => {
    let t = 0;
    const l = new RateLimiter({ burst: 3, perSecond: 1, clock: () => t });
    expect([l.take('a'), l.take('a'), l.take('a'), l.take('a')]).toEqual([true, true, true, false]);
    expect(l.take('b')).toBe(true);
    t += 1000;
    expect([l.take('a'), l.take('a')]).toEqual([true, false]);
  });
  it('forgets the oldest client beyond maxKeys', () => {
    const l = new RateLimiter({ burst: 1, perSecond: 0, clock: () => 0, maxKeys: 2 });
    expect(l.take('a')).toBe(true);
    expect(l.take('b')).toBe(true);
    expect(l.take('c')).toBe(true);
    expect(l.take('a')).toBe(true); // a was forgotten: a fresh bucket
    expect(l.take('c')).toBe(false);
  });
});
