import { describe, expect, it } from 'vitest';

import { ALL_TENANTS, mintApiKey, parseApiKey, type ApiKeyRecord } from './api-keys';
import { AccessGate, activeKey } from './gate';
import { POLICY } from './policy';

const NOW = Date.parse('2026-12-07T12:00:00Z');

function gateWith(...records: ApiKeyRecord[]): AccessGate {
  const keys = new Map(records.map((record) => [record.id, activeKey(record)]));
  return new AccessGate(
    (id) => keys.get(id),
    () => NOW
  );
}

const secret = (extra: Partial<ApiKeyRecord> = {}) =>
  mintApiKey({
    tenantId: 'shop',
    kind: 'secret',
    scopes: ['serve'],
    name: 'backend',
    createdBy: 'test',
    ...extra,
  } as never);

describe('AccessGate', () => {
  it('admits a genuine key in force, with or without "Bearer "', () => {
    const { token, record } = secret();
    const gate = gateWith(record);
    expect(gate.authenticate(`Bearer ${token}`)).toEqual({ key: record });
    expect(gate.authenticate(token)).toEqual({ key: record });
  });

  it('refuses a missing, malformed, unknown, wrong-secret, wrong-kind, revoked or expired key as UNAUTHENTICATED', () => {
    const { token, record } = secret();
    const revoked = secret({ revokedAt: '2026-12-01T00:00:00Z' });
    const expired = secret({ expiresAt: '2026-12-07T11:59:59Z' });
    const later = secret({ expiresAt: '2026-12-07T12:00:01Z' });
    const gate = gateWith(record, revoked.record, expired.record, later.record);
    const parts = parseApiKey(token)!;
    const cases: [string | undefined, string][] = [
      [undefined, 'missing API key'],
      ['', 'missing API key'],
      ['Bearer nonsense', 'invalid API key: expected'],
      [`Bearer dmp_sk_${'z'.repeat(12)}_${parts.secret}`, `invalid API key ${'z'.repeat(12)}`],
      [`Bearer dmp_sk_${parts.id}_${'0'.repeat(48)}`, `invalid API key ${parts.id}`],
      [`Bearer dmp_pk_${parts.id}_${parts.secret}`, `invalid API key ${parts.id}`],
      [`Bearer ${revoked.token}`, `API key ${revoked.record.id} was revoked`],
      [`Bearer ${expired.token}`, `API key ${expired.record.id} expired at 2026-12-07T11:59:59Z`],
    ];
    for (const [authorization, message] of cases) {
      const admission = gate.authenticate(authorization);
      expect(admission, String(authorization)).toMatchObject({ refusal: { code: 'UNAUTHENTICATED' } });
      expect('refusal' in admission && admission.refusal.message.startsWith(message), message).toBe(true);
      // The secret never comes back in a message.
      expect(JSON.stringify(admission)).not.toContain(parts.secret);
    }
    expect(gate.authenticate(`Bearer ${later.token}`)).toEqual({ key: later.record });
  });

  it('checks the scope an RPC needs, keeps publishable keys off gRPC, and fences tenants', () => {
    const gate = gateWith();
    const recommend = POLICY['/dmp.decisioning.v1.DecisioningService/Recommend']!;
    const serve = secret().record;
    const read = secret({ scopes: ['read'] }).record;
    const browser = mintApiKey({
      tenantId: 'shop',
      kind: 'publishable',
      scopes: ['ingest'],
      name: 'web',
      createdBy: 't',
    }).record;
    const everyTenant = secret({ tenantId: ALL_TENANTS }).record;
    expect(gate.permits(serve, recommend, 'Recommend')).toBeUndefined();
    expect(gate.permits(read, recommend, 'Recommend')).toEqual({
      code: 'PERMISSION_DENIED',
      message: `API key ${read.id} lacks the serve scope that Recommend needs`,
    });
    expect(gate.permits(browser, POLICY['/dmp.intake.v1.IntakeService/Ingest']!, 'Ingest')?.code).toBe(
      'PERMISSION_DENIED'
    );
    expect(gate.coversTenant(serve, 'shop')).toBeUndefined();
    expect(gate.coversTenant(serve, '')).toBeUndefined();
    expect(gate.coversTenant(serve, 'other')).toEqual({
      code: 'PERMISSION_DENIED',
      message: `API key ${serve.id} is not a key of tenant "other"`,
    });
    expect(gate.coversTenant(everyTenant, 'other')).toBeUndefined();
  });

  it('reads the tenant of every request shape the policy names', () => {
    expect(POLICY['/dmp.intake.v1.IntakeService/PutEventType']!.tenantOf({ eventType: { tenantId: 'shop' } })).toBe(
      'shop'
    );
    expect(POLICY['/dmp.decisioning.v1.DecisioningService/Recommend']!.tenantOf({ tenantId: 'shop' })).toBe('shop');
    expect(POLICY['/dmp.decisioning.v1.DecisioningService/Recommend']!.tenantOf(null)).toBe('');
  });
});
