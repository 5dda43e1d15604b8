import { describe, expect, it } from 'vitest';

import { Readiness } from './readiness';

describe('Readiness', () => {
  it('is ready only while every dependency is up and it is not draining', () => {
    const readiness = new Readiness();
    const seen: boolean[] = [];
    readiness.onChange((ready) => seen.push(ready));
    readiness.require('nats');
    readiness.require('redis');
    readiness.set('nats', true);
    expect(readiness.ready).toBe(false);
    expect(readiness.down).toEqual(['redis']);
    readiness.set('redis', true);
    expect(readiness.ready).toBe(true);
    readiness.set('redis', false);
    expect(readiness.ready).toBe(false);
    readiness.set('redis', true);
    readiness.drain();
    expect(readiness.ready).toBe(false);
    expect(seen.at(-1)).toBe(false);
    expect(seen).toContain(true);
  });

  it('is ready with no dependencies until it drains', () => {
    const readiness = new Readiness();
    expect(readiness.ready).toBe(true);
    readiness.drain();
    expect(readiness.ready).toBe(false);
  });
});
