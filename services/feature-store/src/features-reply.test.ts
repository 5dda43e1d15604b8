import { describe, expect, it } from 'vitest';

import type { FeatureValue } from '@dmp/features';
import { loadProtos } from '@dmp/grpc';

import { encodeFeaturesReply, FeaturesReply, withDirectGetFeaturesEncoding } from './features-reply';

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
  if (next() < 0.2) return { status: 'missing' };
  const status = next() < 0.8 ? 'present' : 'stale';
  const times = [undefined, 0, 999, 1_700_000_000_123, Math.floor(next() * 4e12)];
  const eventTimeMs = times[Math.floor(next() * times.length)];
  const timed = eventTimeMs === undefined ? {} : { eventTimeMs };
  if (next() < 0.6) {
    const numbers = [0, -0, 1, -1.5, 1e300, Number.MAX_SAFE_INTEGER, NaN, next() * 1e6];
    return { status, kind: 'number', value: numbers[Math.floor(next() * numbers.length)]!, ...timed };
  }
  // Lists from empty to longer than 16 KB, so every length-prefix path is taken.
  const length = [0, 1, 5, 50, 600][Math.floor(next() * 5)]!;
  const value = Array.from({ length }, () => ({
    itemId: randomId(next, Math.floor(next() * 40)),
    score: next() < 0.2 ? 0 : (next() - 0.5) * 1e4,
  }));
  return { status, kind: 'scored_items', value, ...timed };
}

function randomReply(next: () => number): FeaturesReply {
  const entities = Math.floor(next() * 10);
  const width = Math.floor(next() * 25);
  return new FeaturesReply(
    Array.from({ length: entities }, () => randomId(next, 1 + Math.floor(next() * 300))),
    Array.from({ length: entities }, () => Array.from({ length: width }, () => randomValue(next)))
  );
}

describe('GetFeatures reply encoding', () => {
  it('decodes to what protobufjs encodes from the same reply, for random grids', () => {
    const next = random(7);
    for (let i = 0; i < 60; i++) {
      const reply = randomReply(next);
      const ours = encodeFeaturesReply(reply);
      expect(ours).toBeInstanceOf(Buffer);
      expect(protobufjs.responseDeserialize(ours!)).toEqual(
        protobufjs.responseDeserialize(protobufjs.responseSerialize(reply))
      );
    }
  });

  it('returns an independent buffer per reply (the scratch buffer is reused)', () => {
    const one = (value: number): FeaturesReply =>
      new FeaturesReply(['u1'], [[{ status: 'present', kind: 'number', value }]]);
    const first = encodeFeaturesReply(one(1))!;
    const copy = Buffer.from(first);
    encodeFeaturesReply(one(2));
    expect(first).toEqual(copy);
  });

  it('leaves replies it does not cover to protobufjs', () => {
    const beforeEpoch = new FeaturesReply(
      ['u1'],
      [[{ status: 'present', kind: 'number', value: 1, eventTimeMs: -5000 }]]
    );
    expect(encodeFeaturesReply(beforeEpoch)).toBeUndefined();
    const plain = { entities: [{ entityId: 'u1', values: [{ itemListValue: { itemIds: ['a', 'b'] } }] }] };
    for (const reply of [beforeEpoch, plain]) {
      expect(direct.responseDeserialize(direct.responseSerialize(reply))).toEqual(
        protobufjs.responseDeserialize(protobufjs.responseSerialize(reply))
      );
    }
  });
});
