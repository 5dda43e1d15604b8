import { describe, expect, it } from 'vitest';

import type { FeatureValue__Output } from '@dmp/grpc';

import { formatValue } from './features';

const NOW = Date.parse('2026-11-26T12:00:00Z');

const number = (n: number): FeatureValue__Output => ({
  status: 'FEATURE_STATUS_PRESENT',
  value: 'numberValue',
  numberValue: n,
  eventTime: null,
});

const list = (items: { itemId: string; score: number }[]): FeatureValue__Output => ({
  status: 'FEATURE_STATUS_PRESENT',
  value: 'scoredItemListValue',
  scoredItemListValue: { items },
  eventTime: null,
});

describe('dmp features: values as a person reads them', () => {
  it('shows last-seen values as times and other numbers with six significant digits', () => {
    expect(formatValue(number(NOW - 60_000), 'last_seen', NOW)).toBe('2026-11-26T11:59:00.000Z');
    expect(formatValue(number(2 / 3), 'ratio', NOW)).toBe('0.666667');
  });

  it('shows the items of a last-N list with their age, and other lists with their scores', () => {
    const recent = list([
      { itemId: 'sku-1', score: NOW - 30_000 },
      { itemId: 'sku-2', score: NOW - 3 * 3_600_000 },
      { itemId: 'sku-3', score: NOW - 9 * 86_400_000 },
    ]);
    expect(formatValue(recent, 'last_n', NOW)).toBe('sku-1 (30s ago) sku-2 (3h ago) sku-3 (9d ago)');
    expect(formatValue(list([{ itemId: 'cat-1', score: 12.3456 }]), 'decayed_count', NOW)).toBe('cat-1:12.35');
  });

  it('says how many entries a long list has beyond the eight it shows', () => {
    const long = list(Array.from({ length: 20 }, (_, i) => ({ itemId: `i${i}`, score: i })));
    expect(formatValue(long, 'top_items', NOW)).toMatch(/^i0:0 i1:1 .* i7:7 … \(20\)$/);
  });

  it('shows nothing for a missing value', () => {
    expect(formatValue({ status: 'FEATURE_STATUS_MISSING', eventTime: null }, 'count', NOW)).toBe('');
  });
});
