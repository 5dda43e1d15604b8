import { describe, expect, it } from 'vitest';

import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('lets a tenant spend its rate, then says how long to wait, and refills over time', () => {
    let now = 0;
    const limiter = new RateLimiter(100, () => now);
    expect(limiter.take('a', 600, 1000)).toBe(0);
    expect(limiter.take('a', 400, 1000)).toBe(0);
    expect(limiter.take('a', 500, 1000)).toBe(500); // empty: 500 tokens take 0.5 s
    now = 500;
    expect(limiter.take('a', 500, 1000)).toBe(0);
    now = 100_000;
    expect(limiter.take('a', 1001, 1000)).toBe(1); // never more than one second's worth banked
  });

  it('keeps tenants apart and lets a slow tenant send a whole batch', () => {
    const limiter = new RateLimiter(1000, () => 0);
    expect(limiter.take('slow', 1000, 10)).toBe(0);
    expect(limiter.take('slow', 10, 10)).toBe(1000);
    expect(limiter.take('other', 1000, 10)).toBe(0);
  });
});
