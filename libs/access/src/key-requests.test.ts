import { describe, expect, it } from 'vitest';

import { ALL_TENANTS, type ApiKeyRecord } from './api-keys';
import { checkNewKey, type NewKeyRequest } from './key-requests';

const caller = (scopes: ApiKeyRecord['scopes'], tenantId = 'shop'): ApiKeyRecord => ({
  id: 'caller000001',
  tenantId,
  kind: 'secret',
  scopes,
  name: 'caller',
  secretSha256: '',
  createdAt: '2026-12-01T00:00:00Z',
  createdBy: 'test',
});
const NOW = new Date('2026-12-07T12:00:00Z');
const request = (fields: Partial<NewKeyRequest>): NewKeyRequest => ({
  tenantId: 'shop',
  name: 'backend',
  kind: '',
  scopes: ['serve'],
  allowedOrigins: [],
  eventsPerSecond: 0,
  requestsPerSecond: 0,
  ...fields,
});

describe('checkNewKey', () => {
  it('gives a secret key the scopes asked for, once each, made by the caller', () => {
    expect(checkNewKey(request({ scopes: ['serve', 'read', 'serve'] }), caller(['admin']), NOW)).toEqual({
      tenantId: 'shop',
      kind: 'secret',
      name: 'backend',
      createdBy: 'caller000001',
      scopes: ['serve', 'read'],
    });
  });

  it('binds a publishable key to origins and its rate, and to ingest only', () => {
    const fields = request({
      kind: 'publishable',
      scopes: [],
      allowedOrigins: ['https://Shop.example/'],
      eventsPerSecond: 50,
    });
    expect(checkNewKey(fields, caller(['admin']), NOW)).toMatchObject({
      kind: 'publishable',
      scopes: ['ingest'],
      allowedOrigins: ['https://shop.example'],
      eventsPerSecond: 50,
    });
  });

  it('refuses what the caller may not hand out, naming the field', () => {
    const cases: [Partial<NewKeyRequest>, ApiKeyRecord, string][] = [
      [{ tenantId: ALL_TENANTS }, caller(['admin']), 'lacks the platform scope'],
      [{ scopes: ['platform'] }, caller(['admin']), 'lacks the platform scope'],
      [{ scopes: ['platform'] }, caller(['platform'], ALL_TENANTS), 'scopes: platform keys are for every tenant'],
      [{ scopes: [] }, caller(['admin']), 'scopes: name at least one'],
      [{ scopes: ['everything'] }, caller(['admin']), 'scopes: "everything" is not one of'],
      [{ kind: 'public' }, caller(['admin']), 'kind: must be'],
      [{ name: ' ' }, caller(['admin']), 'name: must be 1-100'],
      [{ expiresAt: new Date('2026-12-07T11:00:00Z') }, caller(['admin']), 'expires_at: must be in the future'],
      [{ allowedOrigins: ['https://shop.example'] }, caller(['admin']), 'allowed_origins: only publishable'],
      [
        { kind: 'publishable', scopes: ['serve'], allowedOrigins: ['https://a.example'] },
        caller(['admin']),
        'scopes: publishable',
      ],
      [{ kind: 'publishable', scopes: [] }, caller(['admin']), 'allowed_origins: name the origins'],
      [
        { kind: 'publishable', scopes: [], allowedOrigins: ['shop.example'] },
        caller(['admin']),
        'allowed_origins: "shop.example"',
      ],
    ];
    for (const [fields, by, message] of cases) {
      expect(() => checkNewKey(request(fields), by, NOW), message).toThrow(message);
    }
  });
});
