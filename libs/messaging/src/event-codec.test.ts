import { describe, expect, it } from 'vitest';

import { decodeEvent, encodeEvent } from './event-codec';
import { eventMsgId, eventSubject, subjectToken } from './subjects';

describe('event codec', () => {
  it('round-trips an event into the generated output shape', () => {
    const bytes = encodeEvent({
      eventId: 'e-1',
      tenantId: 'shop',
      type: 'purchase',
      occurredAt: { seconds: '1700000000', nanos: 5 },
      identities: { userId: 'u1' },
      itemIds: ['a', 'b'],
      context: { channel: 'web' },
      properties: { price: { numberValue: 9.5 }, coupon: { stringValue: 'X' } },
    });
    const event = decodeEvent(bytes);
    expect(event).toMatchObject({
      eventId: 'e-1',
      tenantId: 'shop',
      type: 'purchase',
      occurredAt: { seconds: '1700000000', nanos: 5 },
      identities: { userId: 'u1', anonymousId: '', deviceId: '' },
      itemIds: ['a', 'b'],
      context: { channel: 'web', placement: '', pageCategory: '' },
      receivedAt: null,
    });
    expect(event.properties['price']).toMatchObject({ numberValue: 9.5, kind: 'numberValue' });
    expect(event.properties['coupon']).toMatchObject({ stringValue: 'X', kind: 'stringValue' });
  });

  it('rejects bytes that are not an event', () => {
    expect(() => decodeEvent(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toThrow();
  });
});

describe('subjects', () => {
  it('scope every event by tenant, type and a user token free of subject syntax', () => {
    const subject = eventSubject('shop', 'view', 'weird.user *>');
    expect(subject).toMatch(/^events\.v1\.shop\.view\.[0-9a-f]{16}$/);
    expect(subjectToken('a')).not.toBe(subjectToken('b'));
    expect(eventMsgId('shop', 'e-1')).toBe('shop:e-1');
  });
});
