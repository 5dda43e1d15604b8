import type { Cluster } from 'ioredis';

/** Where the keys matching a pattern are on a Redis Cluster: how many each primary holds, and the busiest slot's. */
export interface KeySpread {
  total: number;
  perPrimary: number[];
  busiestSlot: number;
}

export async function keySpread(cluster: Cluster, match: string): Promise<KeySpread> {
  const perPrimary: number[] = [];
  const perSlot = new Map<number, number>();
  for (const node of cluster.nodes('master')) {
    let keys = 0;
    for await (const page of node.scanStream({ match, count: 1_000 })) {
      const names = page as string[];
      keys += names.length;
      const slots = await Promise.all(names.map((name) => node.call('CLUSTER', 'KEYSLOT', name)));
      for (const slot of slots) perSlot.set(Number(slot), (perSlot.get(Number(slot)) ?? 0) + 1);
    }
    perPrimary.push(keys);
  }
  return {
    total: perPrimary.reduce((a, b) => a + b, 0),
    perPrimary,
    busiestSlot: Math.max(0, ...perSlot.values()),
  };
}
