import type { FeatureReader } from '@dmp/features';
import type { KvMirror } from '@dmp/messaging';
import { ItemNeighbours, recommendModelName, type LiveModels, type ServedVersion } from '@dmp/scorer';

import { CachedCandidateSource } from './item-cache';
import { FEATURE_NAMES, type CandidateSource, type Ranker, type TrainedTables } from './recommend';
import { NO_RULES, type RecommendRules, type RulesStore } from './rules';

/**
 * What Recommend reads and ranks with, on the platform's parts: the feature store's Redis (through an item
 * cache), the model registry's models, the rules in NATS KV. The domain (recommend.ts) knows none of them.
 */

/** Parses the artifacts of ranking models: each is an item neighbour table (services/trainer writes them). */
export const parseRankingArtifact = (_name: string, bytes: Uint8Array): ItemNeighbours => ItemNeighbours.parse(bytes);

/**
 * Ranks each call with the tenant's own model when the registry serves one (`recommend-<tenant>`), else with
 * the platform's default: the user's arm of its A/B split, with the tables that version was trained with.
 */
export function liveRanker(models: LiveModels, defaultModel: string): Ranker {
  return {
    async serve(call, work) {
      const own = recommendModelName(call.tenantId);
      const name = models.serves(own) ? own : defaultModel;
      let working = false;
      try {
        return await models.serve(name, call.userId, (served) => {
          working = true;
          return work({
            tables: tablesOf(served),
            score: (rows) =>
              served.score({ values: rows, columns: FEATURE_NAMES, requestId: call.decisionId, complete: true }),
          });
        });
      } catch (error) {
        // No version serves (still loading, refused, swapped out this instant): the heuristic order.
        if (working) throw error;
        return work(undefined);
      }
    },
  };
}

function tablesOf(served: ServedVersion): TrainedTables {
  const table = (name: string): ItemNeighbours | undefined => {
    const value = served.artifacts.get(name);
    return value instanceof ItemNeighbours ? value : undefined;
  };
  const ease = table('ease');
  const knn = table('knn');
  return { ...(ease && { ease }), ...(knn && { knn }) };
}

/** The feature store as Recommend reads it: slowly changing item data cached in process (0: no cache). */
export function candidateSource(reader: FeatureReader, itemCacheTtlMs: number): CandidateSource {
  return itemCacheTtlMs > 0 ? new CachedCandidateSource(reader, itemCacheTtlMs) : reader;
}

/** The tenants' rules as every replica follows them (NATS KV); a write answers once this replica follows it. */
export function rulesStore(mirror: KvMirror<RecommendRules>): RulesStore {
  return {
    get: (tenantId) => mirror.get(tenantId) ?? NO_RULES,
    put: async (tenantId, rules) => mirror.reached(await mirror.kv.put(tenantId, JSON.stringify(rules))),
  };
}
