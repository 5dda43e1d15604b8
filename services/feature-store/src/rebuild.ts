import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';

import {
  buildPrefix,
  featureKeys,
  readBuildState,
  updateBuildState,
  type BuildState,
  type FeatureCatalog,
  type FeatureWriter,
} from '@dmp/features';
import { AbortedError, delay, type Logger } from '@dmp/runtime';

import type { CatchUpSummary } from './partition-catch-up';

/**
 * How long every replica is given to see a build state change (KV watches deliver it in milliseconds):
 * after it, no reader or writer still uses a replaced build.
 */
const HANDOVER_MS = 2_000;
const POLL_MS = 200;

export interface RebuildResult {
  build: string;
  previousBuild: string;
  eventsReplayed: number;
  eventsAlreadyApplied: number;
  /** Store time of the first replayed event, if any. */
  replayedFromMs?: number;
}

export interface RebuildDeps {
  nc: NatsConnection;
  redis: Redis;
  writer: FeatureWriter;
  catalog: FeatureCatalog;
  /** Partitions of EVENTS: each one's owner fills its share of the build. */
  partitions: () => number;
  log: Logger;
}

/**
 * Recomputes a tenant's features into a fresh build, while live traffic runs:
 *
 * 1. The build state becomes { active: old, building: new, sinceMs } (compare-and-set in NATS KV).
 * 2. The owner of each partition of EVENTS replays the tenant's events of that partition into the new build, in
 *    order, up to the live position, and from then on writes the partition's live events to both builds
 *    (event-consumer.ts, partition-catch-up.ts). Each event reaches the new build once, by the partition's
 *    watermark, as live events do; the work spreads over every replica, a partition at a time.
 * 3. Once every partition is caught up the state becomes { active: new }: readers switch. After the handover
 *    time the old build is deleted.
 *
 * A later rebuild of the same tenant takes over (a crashed one leaves `building` behind); this one then
 * fails with AbortedError at its next step, and its build is deleted by the one that took over.
 */
export async function rebuildFeatures(
  deps: RebuildDeps,
  tenantId: string,
  sinceMs: number | undefined
): Promise<RebuildResult> {
  const { nc, redis, writer, log } = deps;
  const { state, revision } = await readBuildState(nc, tenantId);
  const build = nextBuild(state);
  const building: BuildState = { active: state.active, building: build, ...(sinceMs !== undefined && { sinceMs }) };
  const buildingRevision = await updateBuildState(nc, tenantId, building, revision);
  if (buildingRevision === undefined) throw new AbortedError('another rebuild of this tenant started just now; retry');
  await deps.catalog.followBuilds(buildingRevision);
  log.info('rebuild started', { tenant: tenantId, build, replacing: state.active, abandoned: state.building });
  if (state.building) {
    const abandoned = state.building;
    void delay(HANDOVER_MS)
      .then(() => writer.dropBuild(tenantId, abandoned))
      .catch((error: unknown) => log.warn('dropping an abandoned build failed', { build: abandoned, error }));
  }

  const stillOurs = async (): Promise<void> => {
    if ((await readBuildState(nc, tenantId)).revision !== buildingRevision) {
      throw new AbortedError(`a later rebuild of tenant ${tenantId} took over from this one (which built ${build})`);
    }
  };
  // Every partition's owner fills its share and says so in the build.
  const caughtUpKey = featureKeys.caughtUp(buildPrefix(tenantId, build));
  let summaries: CatchUpSummary[];
  for (;;) {
    await stillOurs();
    summaries = Object.values(await redis.hgetall(caughtUpKey)).map((json) => JSON.parse(json) as CatchUpSummary);
    if (summaries.length >= deps.partitions()) break;
    await delay(POLL_MS);
  }

  const switched = await updateBuildState(nc, tenantId, { active: build }, buildingRevision);
  if (switched === undefined) {
    await writer.dropBuild(tenantId, build);
    throw new AbortedError(`a later rebuild of tenant ${tenantId} took over from this one (which built ${build})`);
  }
  await redis.del(caughtUpKey, featureKeys.catchUpAt(buildPrefix(tenantId, build)));
  const replay = summarize(summaries);
  log.info('rebuild switched readers', { tenant: tenantId, build, ...replay });
  // Readers and writers on other replicas let go of the old build within the handover time.
  await delay(HANDOVER_MS);
  const deleted = await writer.dropBuild(tenantId, state.active);
  log.info('rebuild dropped the old build', { tenant: tenantId, build: state.active, keys: deleted });
  return { build, previousBuild: state.active, ...replay };
}

function summarize(summaries: CatchUpSummary[]): Omit<RebuildResult, 'build' | 'previousBuild'> {
  const starts = summaries.flatMap((s) => (s.fromMs === undefined ? [] : [s.fromMs]));
  return {
    eventsReplayed: summaries.reduce((sum, s) => sum + s.replayed, 0),
    eventsAlreadyApplied: summaries.reduce((sum, s) => sum + s.alreadyApplied, 0),
    ...(starts.length > 0 && { replayedFromMs: Math.min(...starts) }),
  };
}

function nextBuild(state: BuildState): string {
  const number = (build: string | undefined): number => Number(build?.slice(1) ?? 0) || 0;
  return `b${Math.max(number(state.active), number(state.building)) + 1}`;
}
