import { describe, expect, it } from 'vitest';

import type { ApiKeyRecord } from './api-keys';
import { auditRecord, auditSubject } from './audit';

const key = { id: 'k00000000001', name: 'marketing tool', tenantId: 'shop' } as ApiKeyRecord;
const at = new Date('2026-12-07T12:00:00Z');

describe('audit records', () => {
  it('names who, what and the versions, from the documents the messages carry', () => {
    const record = auditRecord(
      {
        method: '/dmp.decisioning.v1.CampaignService/PutCampaign',
        key,
        tenantId: 'shop',
        request: { tenantId: 'shop', campaignJson: '{"id":"spring","creatives":[]}', expectedVersion: 3 },
        response: { campaignJson: '{"id":"spring","version":4}' },
      },
      at
    );
    expect(record).toEqual({
      at: '2026-12-07T12:00:00.000Z',
      keyId: 'k00000000001',
      keyName: 'marketing tool',
      tenantId: 'shop',
      action: 'CampaignService/PutCampaign',
      target: 'spring',
      versionBefore: 3,
      versionAfter: 4,
    });
  });

  it('keeps erasures free of the erased subject', () => {
    const record = auditRecord(
      {
        method: '/dmp.features.v1.ProfileService/DeleteProfile',
        key,
        tenantId: 'shop',
        request: { tenantId: 'shop', identifier: 'msisdn:+79123456789', reason: 'asked' },
        response: { record: { erasureId: 'e-1', subject: 'msisdn:+79123456789' } },
      },
      at
    );
    expect(record).toMatchObject({ action: 'ProfileService/DeleteProfile', target: 'e-1' });
    expect(JSON.stringify(record)).not.toContain('7912');
  });

  it('files platform-wide changes apart from every tenant', () => {
    expect(auditSubject('shop')).toBe('audit.v1.shop');
    expect(auditSubject('*')).toBe('audit.v1._platform');
  });
});
