import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type {
  Event,
  FeatureStoreServiceClient,
  GetFeaturesRequest,
  GetFeaturesResponse__Output,
  ListFeaturesResponse__Output,
  PutFeatureSetRequest,
  PutFeatureSetResponse__Output,
} from '@dmp/grpc';
import type { ServiceProcess } from '@dmp/local-servers';
import { encodeEvent, ensureStream, eventMsgId, eventsStream, eventSubject } from '@dmp/messaging';

import {
  addTenant,
  callUnary,
  checkHealth,
  clients,
  expectRejected,
  startServers,
  startService,
  waitFor,
  type Servers,
} from '../../../test/harness';

/**
 * Feature definitions as data: a tenant's own set is validated, stored in NATS KV and picked up by every
 * running replica without a restart.
 */
let servers: Servers;
let stores: ServiceProcess[];
let storeClients: FeatureStoreServiceClient[];
let n = 0;

const client = (i = 0): FeatureStoreServiceClient => storeClients[i]!;

const put = (request: Partial<PutFeatureSetRequest>): Promise<PutFeatureSetResponse__Output> =>
  callUnary((done) => client().PutFeatureSet({ tenantId: 'tv', featureSetJson: '', ...request }, done));

const list = (i = 0): Promise<ListFeaturesResponse__Output> =>
  callUnary((done) => client(i).ListFeatures({ tenantId: 'tv' }, done));

const get = (request: Partial<GetFeaturesRequest>, i = 0): Promise<GetFeaturesResponse__Output> =>
  callUnary((done) => client(i).GetFeatures({ tenantId: 'tv', entityType: 'ENTITY_TYPE_USER', ...request }, done));

async function play(userId: string, device: string): Promise<void> {
  const now = { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 };
  const event: Event = {
    eventId: `play-${++n}`,
    tenantId: 'tv',
    type: 'play_start',
    identities: { userId },
    itemIds: ['film-1'],
    context: { device: { type: device } },
    occurredAt: now,
    receivedAt: now,
  };
  await jetstream(servers.nc).publish(eventSubject('tv', 'play_start', userId), encodeEvent(event), {
    msgID: eventMsgId('tv', event.eventId!),
  });
}

async function numberOf(userId: string, feature: string, i = 0): Promise<number | undefined> {
  const value = (await get({ entityIds: [userId], featureNames: [feature] }, i)).entities[0]!.values[0]!;
  return value.status === 'FEATURE_STATUS_PRESENT' ? value.numberValue : undefined;
}

const featureSet = (version: number, features: unknown[]): string => JSON.stringify({ version, features });
const TV_PLAYS = {
  name: 'user.tv_plays_24h',
  description: 'Plays started on a TV.',
  events: ['play_start'],
  where: [{ path: 'context.device.type', op: 'eq', value: 'tv' }],
  aggregation: { kind: 'count', window: '24h' },
};
const ALL_PLAYS = { name: 'user.plays_24h', events: ['play_start'], aggregation: { kind: 'count', window: '24h' } };

beforeAll(async () => {
  servers = await startServers();
  await addTenant(servers.nc, 'tv');
  await ensureStream(servers.nc, eventsStream(1));
  // Two replicas: a definition stored through one reaches the other.
  stores = await Promise.all([startService('feature-store', servers), startService('feature-store', servers)]);
  storeClients = stores.map((s) => clients.featureStore(s.address));
});

afterAll(async () => {
  for (const c of storeClients ?? []) c.close();
  await Promise.all((stores ?? []).map((s) => s.stop()));
  await servers?.stop();
});

describe('tenant feature definitions', () => {
  it('lists the default features with descriptions', async () => {
    const { features } = await list();
    const recent = features.find((f) => f.name === 'user.recent_items')!;
    expect(recent).toMatchObject({ entityType: 'ENTITY_TYPE_USER', default: true });
    expect(recent.description).not.toBe('');
    expect(JSON.parse(recent.definitionJson)).toMatchObject({ aggregation: { kind: 'last_n' } });
  });

  it('computes a new definition on every replica as soon as it is stored, without a restart', async () => {
    const stored = await put({ featureSetJson: featureSet(1, [TV_PLAYS]) });
    expect(stored).toEqual({ version: 1, featureNames: ['user.tv_plays_24h'] });
    for (const i of [0, 1]) {
      await waitFor(`replica ${i} knows the feature`, async () =>
        (await list(i)).features.some((f) => f.name === 'user.tv_plays_24h' && !f.default)
      );
    }
    await play('ann', 'tv');
    await play('ann', 'phone');
    await play('ann', 'tv');
    await waitFor('TV plays counted', async () => (await numberOf('ann', 'user.tv_plays_24h', 1)) === 2);
    expect(await numberOf('ann', 'user.tv_plays_24h', 0)).toBe(2);

    // Version 2 replaces the set: one feature gone, another added.
    await put({ featureSetJson: featureSet(2, [ALL_PLAYS]) });
    await waitFor('the new set in force', async () => {
      const names = (await list()).features.map((f) => f.name);
      return names.includes('user.plays_24h') && !names.includes('user.tv_plays_24h');
    });
    await play('ann', 'phone');
    await waitFor('plays counted from now on', async () => (await numberOf('ann', 'user.plays_24h')) === 1);
    await expectRejected<Partial<GetFeaturesRequest>>(get, [
      [
        'a removed feature',
        { entityIds: ['ann'], featureNames: ['user.tv_plays_24h'] },
        'INVALID_ARGUMENT',
        'feature_names[0]',
      ],
    ]);
  });

  it('rejects bad definitions with INVALID_ARGUMENT naming the place, and keeps the stored set', async () => {
    await expectRejected<Partial<PutFeatureSetRequest>>(put, [
      ['unknown tenant', { tenantId: 'nobody', featureSetJson: featureSet(1, []) }, 'NOT_FOUND', 'tenant_id'],
      ['not JSON', { featureSetJson: '{"version": 1,' }, 'INVALID_ARGUMENT', 'feature_set_json'],
      [
        'an unknown window',
        { featureSetJson: featureSet(3, [{ ...ALL_PLAYS, aggregation: { kind: 'count', window: '2h' } }]) },
        'INVALID_ARGUMENT',
        'feature_set_json.features[0].aggregation.window',
      ],
      [
        'a default redefined',
        { featureSetJson: featureSet(3, [{ ...ALL_PLAYS, name: 'user.views_24h' }]) },
        'INVALID_ARGUMENT',
        'feature_set_json.features[0].name',
      ],
      [
        'a ratio of nothing',
        {
          featureSetJson: featureSet(3, [
            { name: 'user.r', aggregation: { kind: 'ratio', numerator: 'user.x', denominator: 'user.plays_24h' } },
          ]),
        },
        'INVALID_ARGUMENT',
        'feature_set_json.features[0].aggregation.numerator',
      ],
    ]);
    expect((await list()).features.map((f) => f.name)).toContain('user.plays_24h');
    expect(await checkHealth(stores[0]!.address)).toBe('SERVING');
  });
});
