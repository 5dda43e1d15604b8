import type { JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import { SpanKind, trace } from '@opentelemetry/api';
import { Counter, Gauge, Histogram } from 'prom-client';

import {
  buildPrefix,
  featureKeys,
  timestampMs,
  toFeatureEvent,
  type FeatureCatalog,
  type FeatureEvent,
  type FeatureWriter,
  type IdentityGraph,
  WritesLostError,
} from '@dmp/features';
import {
  decodeEvent,
  FEATURE_STORE_DURABLE,
  featureStorePartitionConsumer,
  PartitionedConsumer,
  ReadAgainFrom,
  traceContextOf,
} from '@dmp/messaging';
import type { Logger, Readiness } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

import { PartitionCatchUp, PartitionLock } from './partition-catch-up';
import { applyToProfile, type ProfileApplication } from './profile-apply';

const tracer = trace.getTracer('@dmp/feature-store');

const appliedTotal = new Counter({
  name: 'feature_store_events_total',
  help: 'Events consumed from the stream, by outcome: applied, duplicate (applied before), erased (about an erased subject, from before the erasure), malformed.',
  labelNames: ['outcome'],
  registers: [metricsRegistry],
});
const freshnessSeconds = new Histogram({
  name: 'feature_store_freshness_seconds',
  help: 'Time from intake accepting an event to its features being visible in Redis.',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
  registers: [metricsRegistry],
});
const ownedPartitions = new Gauge({
  name: 'feature_store_partitions',
  help: 'Partitions of EVENTS this replica consumes now.',
  registers: [metricsRegistry],
});
const writesLost = new Counter({
  name: 'feature_store_writes_lost_total',
  help: 'Times a build was found behind the events this replica had applied to it (Redis lost acknowledged writes in a failover): its partition was read again from the build.',
  registers: [metricsRegistry],
});
const applyRetries = new Counter({
  name: 'feature_store_apply_retries_total',
  help: 'Applications retried in place because Redis failed.',
  registers: [metricsRegistry],
});

export interface EventConsumerOptions {
  stream: string;
  /** Replicas of the feature store running now: each consumes its share of the partitions. */
  replicas: () => number;
  /** Messages pulled at a time from a partition (handled one by one, in order). */
  batch: number;
  ackWaitSeconds: number;
  partitionLeaseMs: number;
  /**
   * Runs after an event is applied (or found applied) to its profile, before it is acked: segment
   * memberships, of the profile and of the profiles the event merged into it.
   */
  afterApply?: (event: FeatureEvent, mergedAway: readonly string[]) => Promise<void>;
}

/** A partition this replica consumes: its lock, and the catch-ups of builds being rebuilt. */
interface OwnedPartition {
  partition: number;
  lock: PartitionLock;
  /** Stream sequence of the last event handled, moved under the lock (a catch-up hands over at it). */
  handledSeq: number;
  /** False until the partition knows where it starts: no catch-up may start before. */
  started: boolean;
  /** `<tenant>/<build>` → the catch-up filling that build's share of this partition. */
  catchUps: Map<string, PartitionCatchUp>;
  /** Builds whose share of this partition is caught up: live events go to them too. */
  caughtUp: Set<string>;
  /**
   * `<tenant>/<build>` → key group → the stream sequence of the last event this replica applied (or found applied)
   * to that group of the build from this partition: the group's watermark must be at least that, or Redis lost
   * writes (writer.ts).
   */
  applied: Map<string, Map<string, number>>;
}

/**
 * Feeds the EVENTS stream into the feature writer, partition by partition: this replica consumes the
 * partitions it holds a lease on, each in order, one event at a time (libs/messaging partitioned-consumer.ts),
 * and the writer applies each event once by the partition's watermark. An event is acked only after its script
 * succeeded; when Redis fails it is retried in place, holding its partition back.
 *
 * A build being rebuilt (rebuild.ts) is filled here too: each partition's owner replays the tenant's events of
 * the partition into it (partition-catch-up.ts) and, once caught up, writes its live events to it as well.
 */
export class EventConsumer {
  private consumer: PartitionedConsumer | undefined;
  private readonly owned = new Map<number, OwnedPartition>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly redis: Redis,
    private readonly writer: FeatureWriter,
    private readonly identity: IdentityGraph,
    private readonly catalog: FeatureCatalog,
    private readonly log: Logger,
    private readonly readiness: Readiness,
    private readonly options: EventConsumerOptions
  ) {
    readiness.require('consumer');
  }

  /** Partitions of the stream (known once started). */
  get partitions(): number {
    return this.consumer?.partitions ?? 0;
  }

  async start(): Promise<void> {
    this.consumer = await PartitionedConsumer.start(this.nc, {
      stream: this.options.stream,
      name: FEATURE_STORE_DURABLE,
      consumer: (partition) => featureStorePartitionConsumer(partition, this.options.ackWaitSeconds),
      replicas: this.options.replicas,
      batch: this.options.batch,
      leaseMs: this.options.partitionLeaseMs,
      log: this.log,
      onRetry: () => applyRetries.inc(),
      handle: (message, partition) => {
        const owned = this.owned.get(partition)!;
        return owned.lock.run(async () => {
          await this.handle(message, owned);
          owned.handledSeq = message.seq;
        });
      },
      starting: (partition) => this.startPartition(partition),
      started: async (partition, handledSeq) => {
        const owned = this.owned.get(partition)!;
        owned.handledSeq = Math.max(owned.handledSeq, handledSeq);
        owned.started = true;
        ownedPartitions.set(this.owned.size);
        await this.followRebuilds(owned);
      },
      stopped: (partition) => this.stopPartition(partition),
    });
    // Rebuilds start and end at any time: each owned partition follows them.
    this.timer = setInterval(() => {
      for (const owned of this.owned.values()) {
        if (!owned.started) continue;
        void this.followRebuilds(owned).catch((error: unknown) =>
          this.log.warn('following rebuilds failed', { partition: owned.partition, error })
        );
      }
    }, 1_000);
    this.readiness.set('consumer', true);
  }

  /** Stops pulling, finishes the events in hand, and hands the partitions back. */
  async stop(): Promise<void> {
    this.readiness.set('consumer', false);
    clearInterval(this.timer);
    await this.consumer?.stop();
  }

  private async startPartition(partition: number): Promise<void> {
    const owned: OwnedPartition = {
      partition,
      lock: new PartitionLock(),
      handledSeq: 0,
      started: false,
      catchUps: new Map(),
      caughtUp: new Set(),
      applied: new Map(),
    };
    // Before the first event: a build whose share of this partition a previous owner caught up gets every
    // live event from here on.
    for (const tenantId of this.catalog.rebuildingTenants()) {
      const building = this.catalog.buildState(tenantId).building!;
      const caughtUp = featureKeys.caughtUp(buildPrefix(tenantId, building));
      if (await this.redis.hexists(caughtUp, String(partition))) owned.caughtUp.add(`${tenantId}/${building}`);
    }
    this.owned.set(partition, owned);
  }

  /** After the partition's worker stopped: its catch-ups stop too (the next owner resumes them). */
  private async stopPartition(partition: number): Promise<void> {
    const owned = this.owned.get(partition);
    this.owned.delete(partition);
    ownedPartitions.set(this.owned.size);
    if (owned) await Promise.all([...owned.catchUps.values()].map((catchUp) => catchUp.stop()));
  }

  /** Starts a catch-up for each build being rebuilt that this partition has not filled yet; stops stale ones. */
  private async followRebuilds(owned: OwnedPartition): Promise<void> {
    const wanted = new Set<string>();
    for (const tenantId of this.catalog.rebuildingTenants()) {
      const { building, sinceMs } = this.catalog.buildState(tenantId);
      const key = `${tenantId}/${building!}`;
      wanted.add(key);
      if (owned.caughtUp.has(key) || (owned.catchUps.has(key) && !owned.catchUps.get(key)!.ended)) continue;
      const prefix = buildPrefix(tenantId, building!);
      if (await this.redis.hexists(featureKeys.caughtUp(prefix), String(owned.partition))) {
        owned.caughtUp.add(key);
        continue;
      }
      const target = { build: building!, features: this.catalog.featuresFor(tenantId) };
      const catchUp = new PartitionCatchUp(tenantId, owned.partition, sinceMs, owned.lock, () => owned.handledSeq, {
        nc: this.nc,
        stream: this.options.stream,
        batch: this.options.batch,
        log: this.log,
        apply: async (message) => {
          const event = toFeatureEvent(decodeEvent(message.data));
          const applied = await applyToProfile(
            { identity: this.identity, writer: this.writer },
            event,
            this.catalog.writeTargets(tenantId),
            [target],
            { partition: owned.partition, seq: message.seq }
          );
          return applied.outcome === 'applied';
        },
        resumeAfter: async () => {
          const seq = await this.redis.hget(featureKeys.catchUpAt(prefix), String(owned.partition));
          return seq === null ? undefined : Number(seq);
        },
        progress: async (seq) => {
          await this.redis.hset(featureKeys.catchUpAt(prefix), String(owned.partition), String(seq));
        },
        finish: async (summary) => {
          await this.redis.hset(featureKeys.caughtUp(prefix), String(owned.partition), JSON.stringify(summary));
          owned.caughtUp.add(key);
        },
      });
      owned.catchUps.set(key, catchUp);
      catchUp.start();
    }
    for (const [key, catchUp] of owned.catchUps) {
      if (wanted.has(key) && !catchUp.finished) continue;
      owned.catchUps.delete(key);
      if (!catchUp.finished) await catchUp.stop();
    }
    for (const key of owned.caughtUp) if (!wanted.has(key)) owned.caughtUp.delete(key);
  }

  /** Applies one message inside a consumer span that continues the producer's trace (from its headers). */
  private handle(message: JsMsg, owned: OwnedPartition): Promise<void> {
    return tracer.startActiveSpan(
      'feature-store apply',
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.system': 'nats', 'messaging.destination.name': message.subject },
      },
      traceContextOf(message.headers),
      (span) => this.apply(message, owned).finally(() => span.end())
    );
  }

  /** Applies and acks, or throws (Redis failed) for the partition worker to retry in place. */
  private async apply(message: JsMsg, owned: OwnedPartition): Promise<void> {
    let event: FeatureEvent;
    let receivedAtMs: number;
    try {
      const decoded = decodeEvent(message.data);
      event = toFeatureEvent(decoded);
      receivedAtMs = timestampMs(decoded.receivedAt);
    } catch (error) {
      // A message intake could not have written: no retry will fix it. term() stops redelivery.
      appliedTotal.inc({ outcome: 'malformed' });
      this.log.error('malformed event terminated', { seq: message.seq, subject: message.subject, error });
      message.term('malformed event');
      return;
    }
    // The active build (first), and a build being rebuilt once this partition's share of it is caught up;
    // merges of profiles reach both.
    const builds = this.catalog.writeTargets(event.tenantId);
    const targets = builds.filter((target, i) => i === 0 || owned.caughtUp.has(`${event.tenantId}/${target.build}`));
    let applied: ProfileApplication;
    try {
      applied = await applyToProfile({ identity: this.identity, writer: this.writer }, event, builds, targets, {
        partition: owned.partition,
        seq: message.seq,
        expected: (build, group) => appliedIn(owned, event.tenantId, build).get(group),
        applied: (build, group) => appliedIn(owned, event.tenantId, build).set(group, message.seq),
      });
    } catch (error) {
      if (!(error instanceof WritesLostError)) throw error;
      // A Redis primary failed over before its replica had the last writes, which NATS has acked: the partition
      // is read again from the group's watermark, so that every event reaches every group once.
      writesLost.inc();
      // Never forward from here: the event in hand (and those after it) may still be owed to other groups.
      const fromSeq = Math.min(error.watermark + 1, message.seq);
      this.log.warn('Redis lost applied events; reading the partition again', {
        partition: owned.partition,
        build: error.build,
        group: error.group,
        fromSeq,
      });
      appliedIn(owned, event.tenantId, error.build).set(error.group, error.watermark);
      throw new ReadAgainFrom(fromSeq);
    }
    // Also for a duplicate: the delivery before may have died between applying and this.
    if (applied.outcome !== 'erased') await this.options.afterApply?.(applied.event, applied.mergedAway);
    message.ack();
    appliedTotal.inc({ outcome: applied.outcome });
    if (applied.outcome === 'applied') freshnessSeconds.observe(Math.max(0, Date.now() - receivedAtMs) / 1000);
  }
}

/** What this replica applied to each key group of a tenant's build from the partition (OwnedPartition.applied). */
function appliedIn(owned: OwnedPartition, tenantId: string, build: string): Map<string, number> {
  const key = `${tenantId}/${build}`;
  let groups = owned.applied.get(key);
  if (!groups) owned.applied.set(key, (groups = new Map<string, number>()));
  return groups;
}
