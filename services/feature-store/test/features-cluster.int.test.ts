import { Cluster, type Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  compileFeatureSet,
  DEFAULT_FEATURES,
  FeatureReader,
  FeatureWriter,
  IdentityGraph,
  type FeatureEvent,
} from '@dmp/features';

import { applyToProfile } from '../src/profile-apply';
import { keySpread, startRedisCluster, type LocalCluster } from '../../../test/harness';

/**
 * The features of one big tenant on a Redis Cluster of 3 primaries, written as the feature store writes them: each
 * event's updates go to its profile's, its items' and its aggregate shard's key groups (keys.ts), one script per
 * group, so nothing is refused as CROSSSLOT, and the tenant's keys spread over the primaries instead of sitting in
 * the tenant's one slot. Reads merge what is sharded; a merge of two profiles moves state across slots.
 */
const PROFILES = 100_000;
const ITEMS = 1_000;
const PARTITIONS = 32;
let redis: LocalCluster;
let cluster: Cluster;

beforeAll(async () => {
  redis = await startRedisCluster(3, 0);
  // As the services connect (libs/redis): auto-pipelining on.
  cluster = new Cluster(
    redis.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    { enableAutoPipelining: true }
  );
});

afterAll(async () => {
  cluster?.disconnect();
  await redis?.stop();
});

const target = { build: 'b1', features: compileFeatureSet(DEFAULT_FEATURES) };
const nowMs = Date.now();

function view(i: number, identifiers: string[]): FeatureEvent {
  return {
    tenantId: 'big',
    eventId: `e${i}`,
    type: 'view',
    subject: identifiers[0]!,
    identifiers,
    itemIds: [`item-${i % ITEMS}`],
    occurredAtMs: nowMs,
    properties: {},
    context: {},
  };
}

describe('features on a Redis Cluster', () => {
  it(`spreads one tenant's ${PROFILES} profiles over the primaries, and reads and merges across slots`, async () => {
    const client = cluster as unknown as Redis;
    const deps = { identity: new IdentityGraph(client), writer: new FeatureWriter(client) };
    // One view per profile, each partition's events in order (as its one consumer applies them), 32 at once.
    await Promise.all(
      Array.from({ length: PARTITIONS }, async (_, partition) => {
        let seq = 0;
        for (let i = partition; i < PROFILES; i += PARTITIONS) {
          const outcome = await deps.writer.apply(view(i, [`p${i}`]), target, { partition, seq: ++seq });
          expect(outcome).toBe('applied');
        }
      })
    );

    // Where the tenant's keys are: per primary within ±10 % of a third, and no slot with more than 1 %.
    const { total, perPrimary, busiestSlot: busiest } = await keySpread(cluster, 'fs:*');
    expect(total).toBeGreaterThan(PROFILES);
    for (const keys of perPrimary) expect(Math.abs(keys / (total / 3) - 1)).toBeLessThan(0.1);
    expect(busiest / total).toBeLessThan(0.01);
    process.stdout.write(
      `features on a cluster: ${total} keys of one tenant (${PROFILES} profiles, ${ITEMS} items) over 3 primaries: ` +
        `${perPrimary.join(' / ')}; busiest slot ${((100 * busiest) / total).toFixed(2)} %\n`
    );

    // Reads: a profile's features from its slot, the tenant's popular items merged from the 32 aggregate shards.
    const reader = new FeatureReader(client, { featuresFor: () => target.features, activeBuild: () => 'b1' });
    const popular = await reader.popular('big', ITEMS);
    expect(popular).toHaveLength(ITEMS);
    expect(new Set(popular.map((item) => item.score))).toEqual(new Set([PROFILES / ITEMS]));
    expect(await reader.interactions('big', ['item-7', 'nothing'])).toEqual([PROFILES / ITEMS, null]);
    const views = (await reader.read('big', 'user', ['p42'], ['user.views_7d']))[0]![0];
    expect(views).toMatchObject({ status: 'present', value: 1 });

    // Items used by the same user, counted in each item's zset: some on the profile's primary (by its script), the
    // others on theirs (by the writer); ids of any script, hashed alike in Lua and TypeScript.
    const items = ['телефон', 'чехол', 'item-3', 'item-4'];
    for (const [k, item] of items.entries()) {
      const event = { ...view(PROFILES + 10 + k, ['p7']), itemIds: [item] };
      expect(await deps.writer.apply(event, target, { partition: 7, seq: PROFILES + 10 + k })).toBe('applied');
    }
    const together = await reader.cooccurring('big', items, 10);
    items.forEach((item, k) => {
      const others = items.filter((other) => other !== item).sort();
      // item-7 (p7's view above) was used by p7 before them all.
      expect(together[k]!.map((x) => x.itemId).sort(), item).toEqual([...others, 'item-7'].sort());
      expect(new Set(together[k]!.map((x) => x.score))).toEqual(new Set([1]));
    });

    // A device seen alone, then with p42: its profile merges into p42's, across slots.
    const merge = async (i: number, identifiers: string[]) =>
      applyToProfile(deps, view(PROFILES + i, identifiers), [target], [target], { partition: 0, seq: PROFILES + i });
    expect((await merge(1, ['device:d42'])).outcome).toBe('applied');
    const merged = await merge(2, ['p42', 'device:d42']);
    expect(merged).toMatchObject({ outcome: 'applied', mergedAway: ['device:d42'] });
    const after = (await reader.read('big', 'user', ['p42'], ['user.views_7d']))[0]![0];
    expect(after).toMatchObject({ status: 'present', value: 3 });
    const gone = (await reader.read('big', 'user', ['device:d42'], ['user.views_7d']))[0]![0];
    expect(gone).toEqual({ status: 'missing' });
  });
});
