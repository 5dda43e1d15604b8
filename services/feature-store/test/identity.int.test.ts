import { jetstream } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildPrefix, encodeServedFeatures, featureKeys, featureLogSubject, IDENTIFIER_LIMITS } from '@dmp/features';
import type {
  DeleteProfileResponse__Output,
  Event,
  FeatureStoreServiceClient,
  GetProfileResponse__Output,
  Identities,
  ProfileServiceClient,
  ListSegmentsResponse__Output,
  PutSegmentResponse__Output,
  ResolveProfileResponse__Output,
} from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import {
  decisionLogSubject,
  deliveriesStream,
  deliverySubject,
  encodeEvent,
  ensureStream,
  eventMsgId,
  eventsStream,
  eventSubject,
  decisionLogStream,
  featureStoreBacklog,
  featureLogStream,
  subjectKey,
  subjectToken,
} from '@dmp/messaging';

import {
  addTenant,
  callUnary,
  clients,
  expectRejected,
  metricValue,
  readStream,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../../../test/harness';

let servers: Servers;
let redis: Redis;
// Two replicas share the feature store's durable consumer: one person's events are resolved on both at once.
let replicas: ServiceProcess[] = [];
let profiles: ProfileServiceClient;
let featureStore: FeatureStoreServiceClient;
let sent = 0;

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'shop');
  await ensureStream(servers.nc, eventsStream(1));
  replicas = await Promise.all([
    startService('feature-store', servers, { SEGMENT_REFRESH_SECONDS: '0' }),
    startService('feature-store', servers, { SEGMENT_REFRESH_SECONDS: '0' }),
  ]);
  profiles = clients.profiles(replicas[0]!.address, { defaultDeadlineMs: 10_000 });
  featureStore = clients.featureStore(replicas[0]!.address, { defaultDeadlineMs: 10_000 });
  redis = new Redis(servers.redis.url);
});

afterAll(async () => {
  profiles?.close();
  featureStore?.close();
  redis?.disconnect();
  await Promise.all(replicas.map((r) => r.stop()));
  await servers?.stop();
});

interface Sent {
  type?: string;
  identities: Identities;
  items?: string[];
  atMs?: number;
  properties?: Event['properties'];
}

/** Publishes events as intake files them (subject by the best identifier's token), without waiting. */
async function publish(events: Sent[]): Promise<void> {
  const js = jetstream(servers.nc);
  await Promise.all(
    events.map((e) => {
      const atMs = e.atMs ?? Date.now();
      const at = { seconds: String(Math.floor(atMs / 1000)), nanos: (atMs % 1000) * 1e6 };
      const event: Event = {
        eventId: `id-${++sent}`,
        tenantId: 'shop',
        type: e.type ?? 'view',
        identities: e.identities,
        itemIds: e.items ?? [`item-${sent % 13}`],
        occurredAt: at,
        receivedAt: at,
        properties: e.properties ?? {},
      };
      const token = subjectToken('shop', subjectKey(e.identities));
      return js.publish(eventSubject('shop', event.type!, token), encodeEvent(event), {
        msgID: eventMsgId('shop', event.eventId!),
      });
    })
  );
}

async function caughtUp(): Promise<void> {
  await waitFor('the feature store caught up', async () => (await featureStoreBacklog(servers.nc)) === 0);
}

const resolve = (identifier: string) =>
  callUnary<ResolveProfileResponse__Output>((done) => profiles.ResolveProfile({ tenantId: 'shop', identifier }, done));
const getProfile = (identifier: string) =>
  callUnary<GetProfileResponse__Output>((done) => profiles.GetProfile({ tenantId: 'shop', identifier }, done));

/** Every key whose name, or anything it holds, contains one of `needles`. */
async function tracesInRedis(needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const holds = (text: string) => needles.some((n) => text.includes(n));
  for await (const keys of redis.scanStream({ count: 1_000 })) {
    for (const key of keys as string[]) {
      if (holds(key)) {
        found.push(key);
        continue;
      }
      const type = await redis.type(key);
      const values =
        type === 'string'
          ? [(await redis.getBuffer(key))?.toString('latin1') ?? '']
          : type === 'hash'
            ? Object.entries(await redis.hgetall(key)).flat()
            : type === 'set'
              ? await redis.smembers(key)
              : type === 'zset'
                ? await redis.zrange(key, 0, -1)
                : [];
      if (values.some(holds)) found.push(`${key} (value)`);
    }
  }
  return found;
}

describe('identity graph', () => {
  it('merges a chain of identifiers into one profile named by the best, with features and consent summed', async () => {
    const early = Date.now() - 60_000;
    await publish([
      { identities: { anonymousId: 'chain-a1' }, items: ['i1'] },
      { identities: { anonymousId: 'chain-a1' }, items: ['i2'] },
      { identities: { anonymousId: 'chain-a1' }, items: ['i3'] },
      {
        type: 'consent',
        identities: { anonymousId: 'chain-a1' },
        atMs: early,
        properties: {
          purpose: { stringValue: 'ads_targeting' },
          granted: { boolValue: true },
          source: { stringValue: 'banner' },
        },
      },
    ]);
    await caughtUp();
    await publish([
      { identities: { deviceId: 'chain-d1', anonymousId: 'chain-a1' }, items: ['i3'] },
      { identities: { deviceId: 'chain-d1' }, items: ['i4'] },
      { identities: { anonymousId: 'chain-a2' }, items: ['i5'] },
    ]);
    await caughtUp();
    await publish([{ type: 'purchase', identities: { userId: 'chain-u1', deviceId: 'chain-d1' }, items: ['i4'] }]);
    await caughtUp();
    await publish([{ identities: { anonymousId: 'chain-a2', userId: 'chain-u1' }, items: ['i6'] }]);
    await caughtUp();

    for (const identifier of ['chain-u1', 'device:chain-d1', 'anon:chain-a1', 'anon:chain-a2']) {
      const resolved = await resolve(identifier);
      expect(resolved.profileId, identifier).toBe('chain-u1');
      expect(resolved.identifiers).toEqual(['chain-u1', 'device:chain-d1', 'anon:chain-a1', 'anon:chain-a2']);
    }
    const profile = await getProfile('anon:chain-a1');
    expect(profile.features['user.views_7d']).toBe(7);
    expect(profile.features['user.purchases_30d']).toBe(1);
    expect(profile.features['user.distinct_items_7d']).toBe(6);
    expect(profile.consent).toEqual([
      expect.objectContaining({ purpose: 'ads_targeting', granted: true, source: 'banner' }),
    ]);
    // The whole history is the union of the merged profiles', each item at its latest time.
    const history = featureKeys.itemSet(buildPrefix('shop', 'b1'), 'user.history', 'user', 'chain-u1');
    expect((await redis.zrange(history, 0, -1)).sort()).toEqual(['i1', 'i2', 'i3', 'i4', 'i5', 'i6']);
    // The merged-away profiles' state is gone, not left behind: only their merge marks stay.
    const left = async (kind: string) =>
      (await redis.keys(`fs:v3:b1:{shop:*}:*:${kind}:chain-*`)).filter((key) => !key.includes('}:mv:'));
    expect(await left('anon')).toEqual([]);
    expect(await left('device')).toEqual([]);
    expect(await redis.get(featureKeys.movedTo(buildPrefix('shop', 'b1'), 'anon:chain-a2'))).toBe('chain-u1');
  });

  it('converges to one profile per person when their events are resolved concurrently on two replicas', async () => {
    const people = 25;
    const perPerson = 40;
    const events: Sent[] = [];
    const expectedItems = new Map<string, Set<string>>();
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let p = 0; p < people; p++) {
      const ids: Identities[] = [
        { userId: `cc-user-${p}` },
        { deviceId: `cc-dev-${p}` },
        { msisdnHash: `cc-phone-${p}` },
        ...[0, 1, 2].map((k) => ({ anonymousId: `cc-anon-${p}-${k}` })),
      ];
      for (let e = 0; e < perPerson; e++) {
        // The first events chain every identifier to the next; the rest pair or single them at random.
        const a = e < ids.length - 1 ? e : Math.floor(random() * ids.length);
        const b = e < ids.length - 1 ? e + 1 : Math.floor(random() * ids.length);
        const item = `cc-item-${Math.floor(random() * 30)}`;
        (expectedItems.get(`cc-user-${p}`) ?? expectedItems.set(`cc-user-${p}`, new Set()).get(`cc-user-${p}`)!).add(
          item
        );
        events.push({ identities: { ...ids[a], ...ids[b] }, items: [item] });
      }
    }
    for (let i = events.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [events[i], events[j]] = [events[j]!, events[i]!];
    }
    await publish(events);
    await caughtUp();

    for (let p = 0; p < people; p++) {
      const user = `cc-user-${p}`;
      const resolved = await resolve(`anon:cc-anon-${p}-2`);
      expect(resolved.profileId).toBe(user);
      expect(resolved.identifiers).toHaveLength(6);
      const profile = await getProfile(`msisdn:cc-phone-${p}`);
      expect({ user, views: profile.features['user.views_7d'] }).toEqual({ user, views: perPerson });
      expect(profile.features['user.distinct_items_7d']).toBe(expectedItems.get(user)!.size);
    }
    expect(await redis.keys('fs:v3:b1:{shop:*}:e:u:*cc-*')).toHaveLength(people); // one hash per person
  });

  it(`holds at most ${IDENTIFIER_LIMITS.user} user id and ${IDENTIFIER_LIMITS.anon} anonymous ids per profile: a shared device links no one`, async () => {
    const refusedBefore = await refusedLinks();
    // One TV in a hotel lobby, used by 30 guests who log in on it.
    await publish(
      Array.from({ length: 30 }, (_, k) => ({ identities: { userId: `guest-${k}`, deviceId: 'lobby-tv' } }))
    );
    // A kiosk browser: a new cookie every session.
    await publish(
      Array.from({ length: 30 }, (_, k) => ({ identities: { deviceId: 'kiosk', anonymousId: `kiosk-${k}` } }))
    );
    await caughtUp();

    const owner = (await resolve('device:lobby-tv')).profileId;
    expect(owner).toMatch(/^guest-\d+$/);
    for (let k = 0; k < 30; k++) {
      const guest = await getProfile(`guest-${k}`);
      expect(guest.profileId).toBe(`guest-${k}`);
      expect(guest.identifiers).toEqual(guest.profileId === owner ? [owner, 'device:lobby-tv'] : [`guest-${k}`]);
      expect(guest.features['user.views_7d']).toBe(1);
    }
    const kiosk = await getProfile('device:kiosk');
    expect(kiosk.identifiers).toHaveLength(1 + IDENTIFIER_LIMITS.anon);
    expect(kiosk.features['user.views_7d']).toBe(30); // every event names the kiosk, its best identifier
    expect((await refusedLinks()) - refusedBefore).toBeGreaterThanOrEqual(29 + 30 - IDENTIFIER_LIMITS.anon);
  });

  it('answers INVALID_ARGUMENT naming the field, and NOT_FOUND for an unknown tenant', async () => {
    await expectRejected(
      (request: { tenantId?: string; identifier: string }) =>
        callUnary((done) => profiles.ResolveProfile({ tenantId: 'shop', ...request }, done)),
      [
        ['empty identifier', { identifier: '' }, 'INVALID_ARGUMENT', 'identifier'],
        ['a space in it', { identifier: 'a b' }, 'INVALID_ARGUMENT', 'identifier'],
        ['unknown tenant', { tenantId: 'nobody', identifier: 'u1' }, 'NOT_FOUND', 'tenant_id'],
      ]
    );
    await expectRejected(
      (request: { reason: string }) =>
        callUnary((done) => profiles.DeleteProfile({ tenantId: 'shop', identifier: 'u1', ...request }, done)),
      [['a long reason', { reason: 'x'.repeat(201) }, 'INVALID_ARGUMENT', 'reason']]
    );
  });
});

async function refusedLinks(): Promise<number> {
  const values = await Promise.all(
    replicas.map((r) => metricValue(r.metricsPort, 'feature_store_identity_links_refused_total'))
  );
  return values.reduce((a, b) => a + (b ?? 0), 0);
}

describe('erasure', () => {
  const user = 'erase-me-7c1';
  const anon = 'erase-anon-93f';
  const phone = 'erase-phone-5d2';
  const needles = [user, anon, phone];

  it('leaves no trace in Redis or the streams, and late events do not bring the profile back', async () => {
    const segment = await callUnary<PutSegmentResponse__Output>((done) =>
      featureStore.PutSegment(
        {
          tenantId: 'shop',
          segmentJson: JSON.stringify({
            id: 'viewers',
            condition: 'profile["user.views_7d"] >= 1.0',
            publishChanges: true,
          }),
        },
        done
      )
    );
    expect(JSON.parse(segment.segmentJson)).toMatchObject({ id: 'viewers' });
    const other = clients.featureStore(replicas[1]!.address);
    await waitFor('both replicas evaluating the segment', async () => {
      const list = await callUnary<ListSegmentsResponse__Output>((done) =>
        other.ListSegments({ tenantId: 'shop' }, done)
      );
      return list.segments.some((s) => s.segmentJson.includes('"viewers"'));
    });
    other.close();
    const before = Date.now() - 1_000;
    await publish([
      { identities: { anonymousId: anon }, items: ['e1'], atMs: before },
      { identities: { anonymousId: anon, msisdnHash: phone }, items: ['e2'], atMs: before },
      { identities: { userId: user, msisdnHash: phone }, items: ['e3'], atMs: before },
      {
        type: 'consent',
        identities: { userId: user },
        atMs: before,
        properties: { purpose: { stringValue: 'personalization' }, granted: { boolValue: true } },
      },
    ]);
    await caughtUp();
    await waitFor('the profile in its segment', async () =>
      (await getProfile(`anon:${anon}`)).segments.includes('viewers')
    );
    // What decisioning would have logged about the subscriber, under the real subject shapes.
    await ensureStream(servers.nc, featureLogStream(1));
    await ensureStream(servers.nc, decisionLogStream(1));
    await ensureStream(servers.nc, deliveriesStream(1));
    const js = jetstream(servers.nc);
    const served = encodeServedFeatures({
      decisionId: 'd-erase',
      tenantId: 'shop',
      userId: user,
      decisionKind: 'recommend',
      modelVersion: 'm1',
      servedAtMs: Date.now(),
      featureNames: ['f'],
      items: [{ itemId: 'e1', score: 1, values: [1] }],
    });
    await js.publish(featureLogSubject('shop', user), served);
    await js.publish(decisionLogSubject('shop', user), new TextEncoder().encode(`{"subject":"${user}"}`));
    await js.publish(deliverySubject('shop', 'sms', user), new TextEncoder().encode(`{"subject":"${user}"}`));
    expect((await tracesInRedis(needles)).length).toBeGreaterThan(0);

    const { record } = await callUnary<DeleteProfileResponse__Output>((done) =>
      profiles.DeleteProfile({ tenantId: 'shop', identifier: `anon:${anon}`, reason: 'DSR-2211' }, done)
    );
    expect(record).toMatchObject({ tenantId: 'shop', identifiers: 3, reason: 'DSR-2211', segmentsLeft: 1 });
    expect(record!.subjectTokens.sort()).toEqual(
      [user, `msisdn:${phone}`, `anon:${anon}`].map((id) => subjectToken('shop', id)).sort()
    );
    expect(Number(record!.messagesPurged['EVENTS'])).toBe(4);
    expect(Number(record!.messagesPurged['SEGMENT_CHANGES'])).toBeGreaterThanOrEqual(1);
    for (const stream of ['FEATURE_LOG', 'DECISION_LOG', 'DELIVERIES'])
      expect(Number(record!.messagesPurged[stream]), stream).toBe(1);

    expect(await tracesInRedis(needles)).toEqual([]);
    const tokens = new Set(record!.subjectTokens);
    for (const stream of ['EVENTS', 'SEGMENT_CHANGES', 'FEATURE_LOG', 'DECISION_LOG', 'DELIVERIES']) {
      for (const message of await readStream(servers.nc, stream)) {
        const text = new TextDecoder('latin1').decode(message.data);
        expect(
          needles.some((n) => text.includes(n)),
          `${stream} #${message.seq}`
        ).toBe(false);
        expect(tokens.has(message.subject.split('.').pop()!), `${stream} ${message.subject}`).toBe(false);
      }
    }
    const audit = (await readStream(servers.nc, 'ERASURES')).map(
      (m) => JSON.parse(new TextDecoder().decode(m.data)) as { erasureId: string }
    );
    expect(audit.map((a) => a.erasureId)).toContain(record!.erasureId);

    // A late event about the subscriber, from before the erasure, on another replica too: dropped.
    await publish([
      { identities: { userId: user }, items: ['late'], atMs: before },
      { identities: { anonymousId: anon, deviceId: 'erase-late-dev' }, items: ['late'], atMs: before },
    ]);
    await caughtUp();
    expect(await tracesInRedis(needles)).toEqual([]);
    expect((await getProfile(user)).features).toEqual({});

    // The subscriber comes back later: a new profile starts from nothing.
    await publish([{ identities: { userId: user }, items: ['again'] }]);
    await caughtUp();
    expect((await getProfile(user)).features['user.views_7d']).toBe(1);
  });
});
