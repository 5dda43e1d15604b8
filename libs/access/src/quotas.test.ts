import { describe, expect, it } from 'vitest';

import type { ApiKeyRecord } from './api-keys';
import { quotaKind, RequestQuotas } from './quotas';

const key = (requestsPerSecond?: number): ApiKeyRecord =>
  ({
    id: 'key000000001',
    tenantId: 'shop',
    kind: 'secret',
    scopes: ['serve'],
    ...(requestsPerSecond && { requestsPerSecond }),
  }) as ApiKeyRecord;

function quotas(rates: Record<string, number>, replicas = 1) {
  let now = 1_000_000;
  const q = new RequestQuotas(
    { tenantRate: (tenantId, kind) => rates[`${tenantId}:${kind}`], replicas: () => replicas },
    () => now
  );
  return { q, advance: (ms: number) => (now += ms) };
}

const admitted = (take: () => unknown, calls: number) =>
  Array.from({ length: calls }, take).filter((r) => r === undefined).length;

describe('RequestQuotas', () => {
  it("admits a tenant's rate with one second's burst, then refuses with the wait until the next token", () => {
    const { q, advance } = quotas({ 'shop:serve': 10 });
    expect(admitted(() => q.take(key(), 'shop', 'serve'), 15)).toBe(10);
    expect(q.take(key(), 'shop', 'serve')).toEqual({
      message: 'tenant "shop" is over its 10 serve requests per second',
      retryAfterMs: 100,
    });
    advance(500);
    expect(admitted(() => q.take(key(), 'shop', 'serve'), 10)).toBe(5);
    // Kinds and tenants are apart: ingest and another tenant are untouched.
    expect(q.take(key(), 'shop', 'ingest')).toBeUndefined();
    expect(q.take(key(), 'other', 'serve')).toBeUndefined();
  });

  it('divides the rate among the replicas', () => {
    const { q } = quotas({ 'shop:serve': 100 }, 4);
    expect(admitted(() => q.take(key(), 'shop', 'serve'), 100)).toBe(25);
  });

  it("holds a key to its own rate within the tenant's, and a refusal spends no token of the other", () => {
    const { q, advance } = quotas({ 'shop:serve': 5 });
    const limited = key(2);
    expect(admitted(() => q.take(limited, 'shop', 'serve'), 5)).toBe(2);
    expect(q.take(limited, 'shop', 'serve')?.message).toBe('API key key000000001 is over its 2 requests per second');
    // The key's refusals left the tenant's three other tokens for other keys.
    const other = { ...key(), id: 'key000000002' };
    expect(admitted(() => q.take(other, 'shop', 'serve'), 5)).toBe(3);
    advance(1_000);
    expect(admitted(() => q.take(limited, 'shop', 'serve'), 5)).toBe(2);
  });

  it('counts serve and ingest calls only', () => {
    expect(quotaKind(['serve'])).toBe('serve');
    expect(quotaKind(['ingest'])).toBe('ingest');
    expect(quotaKind(['admin'])).toBeUndefined();
    expect(quotaKind(['read'])).toBeUndefined();
  });
});
