import { readFileSync } from 'node:fs';

import { callUnary, type FeatureStoreServiceClient, type PutSimilarItemsResponse__Output } from '@dmp/grpc';

import { featureStoreClient } from '../clients';
import { eachInteraction } from '../tenant-streams';
import { DEFAULT_KNN, InteractionMatrix, itemKnn, type ItemNeighbours, type KnnOptions } from '../similar/item-knn';
import { connectNats } from '../nats';

/** Rows per PutSimilarItems call (the RPC takes up to 1000). */
const BATCH = 500;

export interface BuildReport {
  events: number;
  users: number;
  items: number;
  itemsWithNeighbours: number;
}

/**
 * `dmp similar build`: reads the tenant's interactions from the EVENTS stream (the log of record, so the
 * table can be rebuilt any time), computes item-kNN and publishes it through the feature store.
 */
export async function buildSimilarItems(args: {
  natsUrl: string;
  address?: string | undefined;
  tenant: string;
  knn?: Partial<KnnOptions>;
  log?: (line: string) => void;
}): Promise<BuildReport> {
  const log = args.log ?? (() => undefined);
  const matrix = new InteractionMatrix();
  const events = await readInteractions(args.natsUrl, args.tenant, matrix);
  log(`read ${events} interactions of ${matrix.userCount} users with ${matrix.itemIds.length} items …`);
  const table = itemKnn(matrix, { ...DEFAULT_KNN, ...args.knn });
  await publish(args.address, args.tenant, table);
  return { events, users: matrix.userCount, items: matrix.itemIds.length, itemsWithNeighbours: table.length };
}

/**
 * `dmp similar put`: publishes a table made elsewhere (e.g. a trainer's embedding neighbours), as CSV
 * `item,neighbour,score`; each item's rows replace the list it had.
 */
export async function putSimilarItems(args: {
  address?: string | undefined;
  tenant: string;
  file: string;
}): Promise<number> {
  const byItem = new Map<string, { itemId: string; score: number }[]>();
  readFileSync(args.file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      const [item, neighbour, scoreText] = line.split(',').map((c) => c.trim());
      const score = Number(scoreText);
      if (i === 0 && Number.isNaN(score)) return; // a header
      if (!item || !neighbour || !Number.isFinite(score)) {
        throw new Error(`${args.file}:${i + 1}: expected item,neighbour,score, got "${line.slice(0, 80)}"`);
      }
      let list = byItem.get(item);
      if (!list) byItem.set(item, (list = []));
      list.push({ itemId: neighbour, score });
    });
  const table = [...byItem].map(([itemId, neighbours]) => ({
    itemId,
    neighbours: neighbours.sort((a, b) => b.score - a.score),
  }));
  await publish(args.address, args.tenant, table);
  return table.length;
}

async function readInteractions(natsUrl: string, tenant: string, matrix: InteractionMatrix): Promise<number> {
  const nc = await connectNats(natsUrl);
  try {
    return await eachInteraction(nc, tenant, (event) => {
      for (const item of event.itemIds) matrix.add(event.subject, item);
    });
  } finally {
    await nc.close();
  }
}

async function publish(address: string | undefined, tenant: string, table: ItemNeighbours[]): Promise<void> {
  const client: FeatureStoreServiceClient = featureStoreClient(address);
  try {
    for (let i = 0; i < table.length; i += BATCH) {
      await callUnary<PutSimilarItemsResponse__Output>((done) =>
        client.PutSimilarItems({ tenantId: tenant, items: table.slice(i, i + BATCH) }, done)
      );
    }
  } finally {
    client.close();
  }
}
