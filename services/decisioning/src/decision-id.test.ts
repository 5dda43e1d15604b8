import { describe, expect, it } from 'vitest';

import { newDecisionId } from './decision-id';

describe('newDecisionId', () => {
  it('is a UUIDv7 whose first 48 bits are the time in ms, so ids sort by time', () => {
    const id = newDecisionId(0x0123456789ab);
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const earlier = newDecisionId(1_000);
    const later = newDecisionId(2_000);
    expect(earlier < later).toBe(true);
    expect(newDecisionId()).not.toBe(newDecisionId());
  });

  it('stays unique across refills of its random pool, within one millisecond', () => {
    const ids = Array.from({ length: 2_000 }, () => newDecisionId(5_000));
    expect(new Set(ids).size).toBe(2_000);
  });
});
