import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRedisServer, type LocalServer } from '@dmp/local-servers';

import {
  buildPrefix,
  compileFeatureSet,
  DEFAULT_FEATURES,
  FeatureWriter,
  readConsent,
  type FeatureEvent,
} from '../src';

/** Consent per user and purpose, from `consent` events: exactly once, last writer by event time per purpose. */
let server: LocalServer;
let redis: Redis;
let writer: FeatureWriter;
const target = { build: 'b1', features: compileFeatureSet(DEFAULT_FEATURES) };
const prefix = buildPrefix('shop', 'b1');
let n = 0;

const consent = (purpose: string, granted: boolean, atMs: number): FeatureEvent => ({
  tenantId: 'shop',
  eventId: `consent-${n++}`,
  type: 'consent',
  subject: 'ann',
  identifiers: [], // applied as it is: the identity graph is the feature store's step before
  itemIds: [],
  occurredAtMs: atMs,
  properties: { purpose, granted, source: 'app-settings' },
  context: {},
});

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
  writer = new FeatureWriter(redis);
});

afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

describe('consent', () => {
  it('keeps the latest word per purpose by event time, whatever the order of arrival', async () => {
    expect(await readConsent(redis, prefix, 'ann')).toEqual({});
    await writer.apply(consent('personalization', false, 2_000), target);
    await writer.apply(consent('contact_sms', true, 1_000), target);
    // Older than the withdrawal, delivered later: changes nothing.
    await writer.apply(consent('personalization', true, 1_500), target);
    expect(await readConsent(redis, prefix, 'ann')).toEqual({ personalization: false, contact_sms: true });
    await writer.apply(consent('personalization', true, 3_000), target);
    expect(await readConsent(redis, prefix, 'ann')).toEqual({ personalization: true, contact_sms: true });
  });

  it('applies a redelivered change once, and is not activity: no feature moves', async () => {
    const event = consent('analytics', false, 4_000);
    const position = { partition: 3, seq: 42 };
    expect(await writer.apply(event, target, position)).toBe('applied');
    expect(await writer.apply(event, target, position)).toBe('duplicate');
    expect(await redis.keys(`${prefix}e:*`)).toEqual([]);
  });
});
