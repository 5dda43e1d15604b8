import { describe, expect, it } from 'vitest';

import type { Event__Output } from '@dmp/grpc';

import { BUILT_IN_EVENT_TYPES, MAX_ITEMS_PER_EVENT, validateEvent } from './validation';

const NOW = Date.UTC(2026, 10, 25, 12);

const base = (overrides: Partial<Event__Output> = {}): Event__Output => ({
  eventId: 'e-1',
  tenantId: '',
  type: 'view',
  occurredAt: null,
  receivedAt: null,
  identities: { userId: 'u1', anonymousId: '', deviceId: '' },
  itemIds: ['sku-1'],
  context: null,
  properties: {},
  ...overrides,
});

const problem = (event: Event__Output, index = 3): string | undefined => {
  const verdict = validateEvent('shop', event, index, NOW);
  return verdict.ok ? undefined : `${verdict.field}: ${verdict.reason}`;
};

describe('validateEvent', () => {
  it('accepts a valid event, sets the tenant and both times when occurred_at is absent', () => {
    const verdict = validateEvent('shop', base({ tenantId: 'spoofed' }), 0, NOW);
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.event.tenantId).toBe('shop');
    expect(verdict.event.receivedAt).toEqual({ seconds: String(NOW / 1000), nanos: 0 });
    expect(verdict.event.occurredAt).toEqual(verdict.event.receivedAt);
  });

  it('keeps a plausible occurred_at', () => {
    const occurredAt = { seconds: String(NOW / 1000 - 3600), nanos: 0 };
    const verdict = validateEvent('shop', base({ occurredAt }), 0, NOW);
    expect(verdict.ok && verdict.event.occurredAt).toEqual(occurredAt);
  });

  it('names the field path of the first problem', () => {
    expect(problem(base({ eventId: '' }))).toBe('events[3].event_id: is required');
    expect(problem(base({ eventId: 'has space' }))).toMatch(/^events\[3\]\.event_id: /);
    expect(problem(base({ eventId: 'x'.repeat(129) }))).toMatch(/^events\[3\]\.event_id: /);
    expect(problem(base({ type: '' }))).toBe('events[3].type: is required');
    expect(problem(base({ type: 'Teleport' }))).toMatch(/^events\[3\]\.type: unknown event type/);
    expect(problem(base({ identities: null }))).toBe('events[3].identities.user_id: is required');
    expect(problem(base({ identities: { userId: 'a\nb', anonymousId: '', deviceId: '' } }))).toMatch(
      /^events\[3\]\.identities\.user_id/
    );
    expect(problem(base({ itemIds: ['ok', ''] }))).toMatch(/^events\[3\]\.item_ids\[1\]: /);
    expect(problem(base({ itemIds: Array.from({ length: MAX_ITEMS_PER_EVENT + 1 }, (_, i) => `i${i}`) }))).toMatch(
      /^events\[3\]\.item_ids: /
    );
    expect(problem(base({ occurredAt: { seconds: '946684799', nanos: 0 } }))).toMatch(/^events\[3\]\.occurred_at: /);
    expect(problem(base({ occurredAt: { seconds: String(NOW / 1000 + 2 * 86_400), nanos: 0 } }))).toMatch(
      /^events\[3\]\.occurred_at: /
    );
  });

  it('knows the built-in commerce, streaming, ads and telecom types', () => {
    for (const type of ['view', 'purchase', 'play_complete', 'click', 'roaming_start', 'balance_low']) {
      expect(BUILT_IN_EVENT_TYPES.has(type)).toBe(true);
      expect(problem(base({ type }))).toBeUndefined();
    }
  });
});
