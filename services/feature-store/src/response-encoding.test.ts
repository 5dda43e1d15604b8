import { describe, expect, it } from 'vitest';

import { loadProtos, type FeatureValue, type GetFeaturesResponse } from '@dmp/grpc';

import { encodeGetFeaturesResponse, withDirectGetFeaturesEncoding } from './response-encoding';

const service = loadProtos().protos.dmp.features.v1.FeatureStoreService.service;
const protobufjs = service['GetFeatures'];
const direct = withDirectGetFeaturesEncoding(service)['GetFeatures']!;

/** A deterministic pseudo-random source, so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

function randomId(next: () => number, length: number): string {
  const alphabet = ['a', 'Z', '9', '-', ':', 'é', '日', '🎬'];
  return Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

function randomValue(next: () => number): FeatureValue {
  const status = (['FEATURE_STATUS_PRESENT', 'FEATURE_STATUS_STALE', 'FEATURE_STATUS_MISSING', 1, 3] as const)[
    Math.floor(next() * 5)
  ];
  if (status === 'FEATURE_STATUS_MISSING') return { status };
  const eventTime =
    next() < 0.3 ? null : { seconds: Math.floor(next() * 2e9), nanos: next() < 0.5 ? 0 : Math.floor(next() * 1e9) };
  if (next() < 0.6) {
    const numbers = [0, -0, 1, -1.5, 1e300, Number.MAX_SAFE_INTEGER, NaN, next() * 1e6];
    return { status, numberValue: numbers[Math.floor(next() * numbers.length)]!, eventTime };
  }
  // Lists from empty to longer than 16 KB, so every length-prefix path is taken.
  const length = [0, 1, 5, 50, 600][Math.floor(next() * 5)]!;
  const items = Array.from({ length }, () => ({
    itemId: randomId(next, Math.floor(next() * 40)),
    score: next() < 0.2 ? 0 : (next() - 0.5) * 1e4,
  }));
  return { status, scoredItemListValue: { items }, eventTime };
}

function randomResponse(next: () => number): GetFeaturesResponse {
  const entities = Math.floor(next() * 10);
  return {
    entities: Array.from({ length: entities }, () => ({
      entityId: randomId(next, 1 + Math.floor(next() * 300)),
      values: Array.from({ length: Math.floor(next() * 25) }, () => randomValue(next)),
    })),
  };
}

describe('GetFeatures response encoding', () => {
  it('decodes to what protobufjs encodes, for random replies', () => {
    const next = random(7);
    for (let i = 0; i < 60; i++) {
      const response = randomResponse(next);
      const ours = encodeGetFeaturesResponse(response);
      expect(ours).toBeInstanceOf(Buffer);
      expect(protobufjs.responseDeserialize(ours!)).toEqual(
        protobufjs.responseDeserialize(protobufjs.responseSerialize(response))
      );
    }
  });

  it('returns an independent buffer per reply (the scratch buffer is reused)', () => {
    const first = encodeGetFeaturesResponse({ entities: [{ entityId: 'u1', values: [{ numberValue: 1 }] }] })!;
    const copy = Buffer.from(first);
    encodeGetFeaturesResponse({ entities: [{ entityId: 'u2', values: [{ numberValue: 2 }] }] });
    expect(first).toEqual(copy);
  });

  it('leaves replies it does not cover to protobufjs', () => {
    const withItemList: GetFeaturesResponse = {
      entities: [{ entityId: 'u1', values: [{ itemListValue: { itemIds: ['a', 'b'] } }] }],
    };
    const negativeSeconds: GetFeaturesResponse = {
      entities: [{ entityId: 'u1', values: [{ numberValue: 1, eventTime: { seconds: -5 } }] }],
    };
    for (const response of [withItemList, negativeSeconds]) {
      expect(encodeGetFeaturesResponse(response)).toBeUndefined();
      expect(direct.responseDeserialize(direct.responseSerialize(response))).toEqual(
        protobufjs.responseDeserialize(protobufjs.responseSerialize(response))
      );
    }
  });
});
