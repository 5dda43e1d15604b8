import type { Consumer, JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import {
  readBuildState,
  toFeatureEvent,
  updateBuildState,
  type BuildState,
  type FeatureCatalog,
  type FeatureEvent,
  type FeatureWriter,
  type IdentityGraph,
} from '@dmp/features';
import { decodeEvent, eventsStream } from '@dmp/messaging';
import { AbortedError, delay, type Logger } from '@dmp/runtime';

import { applyToProfile } from './profile-apply';

/**
 * How long every replica is given to see a build state change (KV watches deliver it in milliseconds):
 * after it, live events surely reach a new build, and no reader still uses a replaced one.
 */
const HANDOVER_MS = 2_000;
const BATCH = 1_000;

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
  js: JetStreamClient;
  writer: FeatureWriter;
  identity: IdentityGraph;
  catalog: FeatureCatalog;
  log: Logger;
}

/**
 * Recomputes a tenant's features into a fresh build, while live traffic runs:
 *
 * 1. The build state becomes { active: old, building: new } (compare-and-set in NATS KV). From the moment
 *    a replica sees it, its live consumer writes every event to both builds.
 * 2. The EVENTS stream is replayed into the new build from `sinceMs`, until it is caught up *and* the
 *    handover time has passed: every event a replica applied to the old build only was stored before it
 *    saw the new state, so the replay covers it. Events both paths apply are applied once per build: the
 *    dedupe mark is per build.
 * 3. The state becomes { active: new }: readers switch. After the handover time the old build is deleted.
 *
 * A later rebuild of the same tenant takes over (a crashed one leaves `building` behind); this one then
 * fails with AbortedError at its next step, and its build is deleted by the one that took over.
 */
export async function rebuildFeatures(
  deps: RebuildDeps,
  tenantId: string,
  sinceMs: number | undefined
): Promise<RebuildResult> {
  const { nc, writer, log } = deps;
  const { state, revision } = await readBuildState(nc, tenantId);
  const build = nextBuild(state);
  const building: BuildState = { active: state.active, building: build };
  const buildingRevision = await updateBuildState(nc, tenantId, building, revision);
  if (buildingRevision === undefined) throw new AbortedError('another rebuild of this tenant started just now; retry');
  // This replica's own live consumer writes to the new build from here on.
  await deps.catalog.followBuilds(buildingRevision);
  log.info('rebuild started', { tenant: tenantId, build, replacing: state.active, abandoned: state.building });
  if (state.building) {
    const abandoned = state.building;
    void delay(HANDOVER_MS)
      .then(() => writer.dropBuild(tenantId, abandoned))
      .catch((error: unknown) => log.warn('dropping an abandoned build failed', { build: abandoned, error }));
  }

  const handoverAt = Date.now() + HANDOVER_MS;
  const stillOurs = async (): Promise<void> => {
    if ((await readBuildState(nc, tenantId)).revision !== buildingRevision) {
      throw new AbortedError(`a later rebuild of tenant ${tenantId} took over from this one (which built ${build})`);
    }
  };
  const replay = await replayInto(deps, tenantId, build, sinceMs, handoverAt, stillOurs);

  const switched = await updateBuildState(nc, tenantId, { active: build }, buildingRevision);
  if (switched === undefined) {
    await writer.dropBuild(tenantId, build);
    throw new AbortedError(`a later rebuild of tenant ${tenantId} took over from this one (which built ${build})`);
  }
  log.info('rebuild switched readers', { tenant: tenantId, build, ...replay });
  // Readers and writers on other replicas let go of the old build within the handover time.
  await delay(HANDOVER_MS);
  const deleted = await writer.dropBuild(tenantId, state.active);
  log.info('rebuild dropped the old build', { tenant: tenantId, build: state.active, keys: deleted });
  return { build, previousBuild: state.active, ...replay };
}

async function replayInto(
  { js, writer, identity, catalog }: RebuildDeps,
  tenantId: string,
  build: string,
  sinceMs: number | undefined,
  handoverAt: number,
  stillOurs: () => Promise<void>
): Promise<Omit<RebuildResult, 'build' | 'previousBuild'>> {
  const consumer = await js.consumers.get(eventsStream(1).name, {
    filter_subjects: [`events.v1.${tenantId}.>`],
    ...(sinceMs !== undefined && { opt_start_time: new Date(sinceMs).toISOString() }),
  });
  try {
    return await replayBatches(consumer, { writer, identity }, catalog, tenantId, build, handoverAt, stillOurs);
  } finally {
    await consumer.delete().catch(() => undefined); // ephemeral: it would go away by itself, later
  }
}

async function replayBatches(
  consumer: Consumer,
  deps: { writer: FeatureWriter; identity: IdentityGraph },
  catalog: FeatureCatalog,
  tenantId: string,
  build: string,
  handoverAt: number,
  stillOurs: () => Promise<void>
): Promise<Omit<RebuildResult, 'build' | 'previousBuild'>> {
  let eventsReplayed = 0;
  let eventsAlreadyApplied = 0;
  let replayedFromMs: number | undefined;
  for (;;) {
    await stillOurs();
    const events: FeatureEvent[] = [];
    let pending = 0;
    let lastStoredMs = 0;
    const batch = await consumer.fetch({ max_messages: BATCH, expires: 1_000 });
    for await (const message of batch) {
      lastStoredMs = message.info.timestampNanos / 1e6;
      replayedFromMs ??= lastStoredMs;
      pending = message.info.pending;
      let event;
      try {
        event = toFeatureEvent(decodeEvent(message.data));
      } catch {
        continue; // the live consumer terminated it too
      }
      events.push(event);
    }
    // Each event to the profile its identifiers belong to now: the identity graph outlives builds.
    const target = { build, features: catalog.featuresFor(tenantId) };
    const applies = events.map((event) => applyToProfile(deps, event, catalog.writeTargets(tenantId), [target]));
    for (const { outcome } of await Promise.all(applies)) if (outcome === 'duplicate') eventsAlreadyApplied++;
    eventsReplayed += applies.length;
    // Done once caught up past the handover: from there on, live consumers write to the new build.
    if (lastStoredMs > handoverAt || (pending === 0 && Date.now() > handoverAt)) break;
  }
  return { eventsReplayed, eventsAlreadyApplied, ...(replayedFromMs !== undefined && { replayedFromMs }) };
}

function nextBuild(state: BuildState): string {
  const number = (build: string | undefined): number => Number(build?.slice(1) ?? 0) || 0;
  return `b${Math.max(number(state.active), number(state.building)) + 1}`;
}
