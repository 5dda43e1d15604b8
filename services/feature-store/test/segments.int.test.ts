import * as grpc from '@grpc/grpc-js';
import { jetstream } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildPrefix, compileCondition, featureKeys } from '@dmp/features';
import type {
  Event,
  FeatureStoreServiceClient,
  GetFeaturesResponse__Output,
  GetSegmentsResponse__Output,
  ListMembersResponse__Output,
  ListSegmentsResponse__Output,
  PutSegmentResponse__Output,
  SegmentSizeResponse__Output,
} from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import { encodeEvent, ensureStream, eventMsgId, eventsStream, eventSubject, featureStoreBacklog } from '@dmp/messaging';

import {
  addTenant,
  callUnary,
  clients,
  expectRejected,
  readStream,
  rpcError,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../../../test/harness';

let servers: Servers;
let store: ServiceProcess;
let client: FeatureStoreServiceClient;

const SEGMENTS = {
  engaged: 'profile["user.views_7d"] >= 3.0',
  buyers: 'profile["user.purchases_30d"] >= 1.0',
  browsers: 'profile["user.views_7d"] >= 2.0 && !("user.purchases_30d" in profile)',
  // Defined on memberships: evaluated after the others, on their results.
  'engaged-non-buyers': '"engaged" in segments && !("buyers" in segments)',
};

const putSegment = (request: { tenantId?: string; segmentJson: string }) =>
  callUnary<PutSegmentResponse__Output>((done) => client.PutSegment({ tenantId: 'shop', ...request }, done));

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  await ensureStream(servers.nc, eventsStream(1));
  // Every second: the refresh of time-bound memberships runs all through these tests, and must agree.
  store = await startService('feature-store', servers, { SEGMENT_REFRESH_SECONDS: '1' });
  client = clients.featureStore(store.address, { defaultDeadlineMs: 10_000 });
});

afterAll(async () => {
  client?.close();
  await store?.stop();
  await servers?.stop();
});

describe('segments', () => {
  it('refuses a segment whose condition does not compile or names anything but the profile', async () => {
    await expectRejected(putSegment, [
      ['not JSON', { segmentJson: '{' }, 'INVALID_ARGUMENT', 'segment_json'],
      [
        'bad CEL',
        { segmentJson: JSON.stringify({ id: 'x', condition: 'profile["a"] >' }) },
        'INVALID_ARGUMENT',
        'segment_json.condition',
      ],
      [
        'context in a segment',
        { segmentJson: JSON.stringify({ id: 'x', condition: 'context.channel == "app"' }) },
        'INVALID_ARGUMENT',
        'segment_json.condition',
      ],
      ['unknown tenant', { tenantId: 'nobody', segmentJson: '{}' }, 'NOT_FOUND', 'tenant_id'],
    ]);
  });

  it('keeps memberships equal to a brute-force evaluation after a random event sequence', async () => {
    for (const [id, condition] of Object.entries(SEGMENTS)) {
      // Every segment but `browsers` is exported: its joins and leaves go to SEGMENT_CHANGES.
      const publishChanges = id !== 'browsers';
      const stored = await putSegment({ segmentJson: JSON.stringify({ id, condition, publishChanges }) });
      expect(JSON.parse(stored.segmentJson)).toMatchObject({ id, version: 1 });
    }
    // 40 users, 600 views and purchases in random order, some users over a threshold and back under none.
    let seed = 11;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const users = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    const js = jetstream(servers.nc);
    const now = Math.floor(Date.now() / 1000);
    for (let n = 0; n < 600; n++) {
      const userId = users[Math.floor(random() * users.length)]!;
      const type = random() < 0.15 ? 'purchase' : 'view';
      const event: Event = {
        eventId: `seg-${n}`,
        tenantId: 'shop',
        type,
        identities: { userId },
        itemIds: [`item-${n % 17}`],
        occurredAt: { seconds: String(now), nanos: 0 },
        receivedAt: { seconds: String(now), nanos: 0 },
      };
      await js.publish(eventSubject('shop', type, userId), encodeEvent(event), {
        msgID: eventMsgId('shop', event.eventId!),
      });
    }
    await waitFor('the feature store caught up', async () => (await featureStoreBacklog(servers.nc)) === 0);

    const features = await callUnary<GetFeaturesResponse__Output>((done) =>
      client.GetFeatures(
        {
          tenantId: 'shop',
          entityType: 'ENTITY_TYPE_USER',
          entityIds: users,
          featureNames: ['user.views_7d', 'user.purchases_30d'],
        },
        done
      )
    );
    const memberOf = new Map<string, Set<string>>();
    const conditionHolds = (segment: string, userId: string) => memberOf.get(userId)?.has(segment) ?? false;
    const conditions = Object.entries(SEGMENTS)
      .filter(([id]) => id !== 'engaged-non-buyers')
      .map(([id, source]) => [id, compileCondition(id, source, ['profile'])] as const);
    const expectedSizes: Record<string, number> = {};
    for (const [i, userId] of users.entries()) {
      const profile = new Map<string, number>();
      features.entities[i]!.values.forEach((v, j) => {
        if (v.status === 'FEATURE_STATUS_PRESENT')
          profile.set(['user.views_7d', 'user.purchases_30d'][j]!, v.numberValue!);
      });
      const expected = conditions.filter(([, c]) => c.matches({ profile, context: {}, event: {} })).map(([id]) => id);
      if (expected.includes('engaged') && !expected.includes('buyers')) expected.push('engaged-non-buyers');
      expected.sort();
      for (const id of expected) expectedSizes[id] = (expectedSizes[id] ?? 0) + 1;
      memberOf.set(userId, new Set(expected));
      const { segmentIds } = await callUnary<GetSegmentsResponse__Output>((done) =>
        client.GetSegments({ tenantId: 'shop', subjectId: userId }, done)
      );
      expect({ userId, segments: segmentIds }).toEqual({ userId, segments: expected });
    }
    const list = await callUnary<ListSegmentsResponse__Output>((done) =>
      client.ListSegments({ tenantId: 'shop' }, done)
    );
    const sizes = Object.fromEntries(
      list.segments.map((s) => [(JSON.parse(s.segmentJson) as { id: string }).id, Number(s.size)])
    );
    expect(sizes).toEqual({ buyers: 0, browsers: 0, engaged: 0, 'engaged-non-buyers': 0, ...expectedSizes });
    expect(expectedSizes['engaged']).toBeGreaterThan(0);
    expect(expectedSizes['engaged-non-buyers']).toBeGreaterThan(0);
    const size = (segmentId: string) =>
      callUnary<SegmentSizeResponse__Output>((done) => client.SegmentSize({ tenantId: 'shop', segmentId }, done));
    expect(Number((await size('engaged-non-buyers')).size)).toBe(expectedSizes['engaged-non-buyers']);
    expect((await rpcError(size('nope'))).code).toBe(grpc.status.NOT_FOUND);
    expect(expectedSizes['buyers']).toBeGreaterThan(0);

    // The change stream adds up to the memberships of the exported segments: joined minus left, per segment.
    const changes = (await readStream(servers.nc, 'SEGMENT_CHANGES')).map(
      (m) => JSON.parse(new TextDecoder().decode(m.data)) as { segment: string; change: string }
    );
    const net: Record<string, number> = {};
    for (const c of changes) net[c.segment] = (net[c.segment] ?? 0) + (c.change === 'joined' ? 1 : -1);
    expect(expectedSizes['browsers']).toBeGreaterThan(0);
    expect(net).toEqual(Object.fromEntries(Object.entries(expectedSizes).filter(([id]) => id !== 'browsers')));

    // The export leaves out members who withdrew ads-targeting consent.
    const engaged = users.filter((u) => expectedSizes['engaged'] && conditionHolds('engaged', u));
    const [first, second] = engaged;
    for (const [k, userId] of [first!, second!].entries()) {
      const consent: Event = {
        eventId: `consent-${k}`,
        tenantId: 'shop',
        type: 'consent',
        identities: { userId },
        properties: { purpose: { stringValue: 'ads_targeting' }, granted: { boolValue: false } },
        occurredAt: { seconds: String(now), nanos: 0 },
        receivedAt: { seconds: String(now), nanos: 0 },
      };
      await js.publish(eventSubject('shop', 'consent', userId), encodeEvent(consent), {
        msgID: eventMsgId('shop', consent.eventId!),
      });
    }
    const exported = async () => {
      const pages: ListMembersResponse__Output[] = [];
      for await (const page of client.ListMembers({ tenantId: 'shop', segmentId: 'engaged', pageSize: 7 }))
        pages.push(page as ListMembersResponse__Output);
      return pages;
    };
    await waitFor(
      'the withdrawals applied',
      async () => (await exported()).reduce((n, p) => n + p.excludedWithoutConsent, 0) === 2
    );
    const pages = await exported();
    expect(pages.flatMap((p) => p.subjectIds).sort()).toEqual(
      engaged.filter((u) => u !== first && u !== second).sort()
    );
    expect(pages.length).toBeGreaterThan(1);
    const missing = await rpcError(
      (async () => {
        for await (const page of client.ListMembers({ tenantId: 'shop', segmentId: 'nope' })) void page;
      })()
    );
    expect(missing.code).toBe(grpc.status.NOT_FOUND);

    // A segment added now is backfilled over the existing profiles, with no new event.
    await putSegment({ segmentJson: JSON.stringify({ id: 'heavy', condition: 'profile["user.views_7d"] >= 5.0' }) });
    const heavy = users.filter((_, i) => {
      const views = features.entities[i]!.values[0]!;
      return views.status === 'FEATURE_STATUS_PRESENT' && views.numberValue! >= 5;
    });
    expect(heavy.length).toBeGreaterThan(0);
    await waitFor('the backfill', async () => {
      const sizes = await callUnary<ListSegmentsResponse__Output>((done) =>
        client.ListSegments({ tenantId: 'shop' }, done)
      );
      return sizes.segments.some((s) => s.segmentJson.includes('"heavy"') && Number(s.size) === heavy.length);
    });
    for (const userId of users) {
      const { segmentIds } = await callUnary<GetSegmentsResponse__Output>((done) =>
        client.GetSegments({ tenantId: 'shop', subjectId: userId }, done)
      );
      expect({ userId, heavy: segmentIds.includes('heavy') }).toEqual({ userId, heavy: heavy.includes(userId) });
    }

    // A profile whose values expire (here: all at once) leaves its segments at the next refresh, with no event.
    const redis = new Redis(servers.redis.url);
    try {
      const gone = heavy[0]!;
      await redis.del(featureKeys.entity(buildPrefix('shop', 'b1'), 'user', gone));
      await waitFor('the refresh', async () => {
        const { segmentIds } = await callUnary<GetSegmentsResponse__Output>((done) =>
          client.GetSegments({ tenantId: 'shop', subjectId: gone }, done)
        );
        return segmentIds.length === 0;
      });
    } finally {
      await redis.quit();
    }
  });
});
