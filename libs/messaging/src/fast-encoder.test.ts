import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { Event } from '@dmp/grpc';

import { decodeEvent, encodeEvent } from './event-codec';

const text = fc.string({ maxLength: 40, unit: 'grapheme' });
const propertyValue = fc.oneof(
  text.map((stringValue) => ({ kind: 'stringValue', stringValue })),
  fc.double({ noNaN: true }).map((numberValue) => ({ kind: 'numberValue', numberValue })),
  fc.boolean().map((boolValue) => ({ kind: 'boolValue', boolValue }))
);
const timestamp = fc.record({
  seconds: fc.integer({ min: 0, max: 4_102_444_800 }),
  nanos: fc.integer({ min: 0, max: 999_999_999 }),
});
const event: fc.Arbitrary<Event> = fc.record(
  {
    eventId: text,
    tenantId: text,
    type: text,
    occurredAt: timestamp,
    receivedAt: timestamp,
    identities: fc.record(
      { userId: text, anonymousId: text, deviceId: text, msisdnHash: text, emailHash: text, hashKeyId: text },
      { requiredKeys: [] }
    ),
    itemIds: fc.array(text, { maxLength: 5 }),
    context: fc.record(
      {
        channel: text,
        placement: text,
        pageCategory: text,
        geo: fc.record({ country: text, region: text, city: text }, { requiredKeys: [] }),
        device: fc.record({ type: text, os: text, model: text }, { requiredKeys: [] }),
        app: fc.record({ name: text, version: text }, { requiredKeys: [] }),
      },
      { requiredKeys: [] }
    ),
    properties: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), propertyValue, { maxKeys: 5 }),
  },
  { requiredKeys: ['eventId'] }
) as fc.Arbitrary<Event>;

describe('the compiled event encoder', () => {
  it('encodes what decodes back to the same event, for any event', () => {
    fc.assert(
      fc.property(event, (e) => {
        const decoded = decodeEvent(encodeEvent(e));
        expect(decoded.eventId).toBe(e.eventId);
        expect(decoded.itemIds).toEqual(e.itemIds ?? []);
        expect(decoded.identities ?? {}).toMatchObject(Object.fromEntries(Object.entries(e.identities ?? {})));
        if (e.occurredAt)
          expect(decoded.occurredAt).toEqual({ seconds: String(e.occurredAt.seconds), nanos: e.occurredAt.nanos });
        for (const [name, value] of Object.entries(e.properties ?? {})) {
          expect(decoded.properties[name]).toMatchObject(value);
        }
        if (e.context?.geo) expect(decoded.context?.geo).toMatchObject(e.context.geo);
      }),
      { numRuns: 2000, seed: 7 }
    );
  });

  it('keeps a property whose value is the default of its kind (an empty string, 0, false)', () => {
    const decoded = decodeEvent(
      encodeEvent({
        eventId: 'e',
        properties: {
          s: { stringValue: '' },
          n: { numberValue: 0 },
          b: { boolValue: false },
        },
      })
    );
    expect(decoded.properties).toEqual({
      s: { kind: 'stringValue', stringValue: '' },
      n: { kind: 'numberValue', numberValue: 0 },
      b: { kind: 'boolValue', boolValue: false },
    });
  });

  it('takes int64 seconds as strings too, and falls back for what it does not cover', () => {
    expect(
      decodeEvent(encodeEvent({ eventId: 'e', occurredAt: { seconds: '1764072000', nanos: 1 } })).occurredAt
    ).toEqual({
      seconds: '1764072000',
      nanos: 1,
    });
    expect(decodeEvent(encodeEvent({ eventId: 'e', occurredAt: { seconds: -5, nanos: 0 } })).occurredAt?.seconds).toBe(
      '-5'
    );
  });
});
