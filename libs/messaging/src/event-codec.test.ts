import { describe, expect, it } from 'vitest';

import { decodeEvent, encodeEvent } from './event-codec';
import { eventMsgId, eventSubject, failedEventSubject, identifiersOf, subjectKey } from './subjects';

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
  it('scope every event by tenant, type and subject token', () => {
    expect(eventSubject('shop', 'view', '0123456789abcdef')).toBe('events.v1.shop.view.0123456789abcdef');
    expect(eventMsgId('shop', 'e-1')).toBe('shop:e-1');
    expect(failedEventSubject('shop', 'http')).toBe('failed.v1.shop.http');
  });

  it('key a subject by the most stable identity, saying which one it is', () => {
    expect(subjectKey({ userId: 'u1', anonymousId: 'c1' })).toBe('u1');
    expect(subjectKey({ anonymousId: 'c1', deviceId: 'd1' })).toBe('device:d1');
    expect(subjectKey({ deviceId: 'd1', msisdnHash: 'ab' })).toBe('msisdn:ab');
    expect(identifiersOf({ anonymousId: 'c1', deviceId: 'd1', userId: 'u1' })).toEqual(['u1', 'device:d1', 'anon:c1']);
    expect(subjectKey({ msisdnHash: 'ab', emailHash: 'cd' })).toBe('msisdn:ab');
    expect(subjectKey({ emailHash: 'cd' })).toBe('email:cd');
    expect(subjectKey({ msisdn: '+79123456789' })).toBe(''); // raw numbers never key anything
    expect(subjectKey(null)).toBe('');
  });
});
