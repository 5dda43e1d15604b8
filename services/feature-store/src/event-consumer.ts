import { jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { SpanKind, trace } from '@opentelemetry/api';
import { Counter, Gauge, Histogram } from 'prom-client';

import {
  timestampMs,
  toFeatureEvent,
  type FeatureCatalog,
  type FeatureEvent,
  type FeatureWriter,
  type IdentityGraph,
} from '@dmp/features';
import {
  decodeEvent,
  eventPartitionsOf,
  FEATURE_STORE_DURABLE,
  featureStorePartitionConsumer,
  PartitionLeases,
  PartitionWorker,
  traceContextOf,
} from '@dmp/messaging';
import type { Logger, Readiness } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

import { applyToProfile } from './profile-apply';

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

/**
 * Feeds the EVENTS stream into the feature writer, partition by partition: this replica consumes the
 * partitions it holds a lease on (partition-leases.ts), each in order, one event at a time (partition-worker.ts),
 * and the writer applies each event once by the partition's watermark. Partitions run concurrently. An event is
 * acked only after its script succeeded; when Redis fails it is retried in place, holding its partition back.
 */
export class EventConsumer {
  private leases: PartitionLeases | undefined;
  private readonly workers = new Map<number, PartitionWorker>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly writer: FeatureWriter,
    private readonly identity: IdentityGraph,
    private readonly catalog: FeatureCatalog,
    private readonly log: Logger,
    private readonly readiness: Readiness,
    private readonly options: EventConsumerOptions
  ) {
    readiness.require('consumer');
  }

  async start(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    const partitions = eventPartitionsOf((await jsm.streams.info(this.options.stream)).config);
    this.leases = await PartitionLeases.start(this.nc, {
      group: FEATURE_STORE_DURABLE,
      partitions,
      replicas: this.options.replicas,
      acquire: (partition) => this.startPartition(partition),
      release: (partition) => this.stopPartition(partition),
      log: this.log,
      leaseMs: this.options.partitionLeaseMs,
    });
    this.readiness.set('consumer', true);
  }

  /** Stops pulling, finishes the events in hand, and hands the partitions back. */
  async stop(): Promise<void> {
    this.readiness.set('consumer', false);
    await this.leases?.stop();
  }

  /** Partitions this replica consumes now. */
  partitions(): number[] {
    return this.leases?.partitions() ?? [];
  }

  private async startPartition(partition: number): Promise<void> {
    const worker = new PartitionWorker(
      this.nc,
      jetstream(this.nc),
      this.options.stream,
      featureStorePartitionConsumer(partition, this.options.ackWaitSeconds),
      {
        batch: this.options.batch,
        log: this.log,
        what: `feature store, partition ${partition}`,
        onRetry: () => applyRetries.inc(),
      },
      (message) => this.handle(message, partition)
    );
    await worker.start();
    this.workers.set(partition, worker);
    ownedPartitions.set(this.workers.size);
  }

  private async stopPartition(partition: number): Promise<void> {
    const worker = this.workers.get(partition);
    this.workers.delete(partition);
    ownedPartitions.set(this.workers.size);
    await worker?.stop();
  }

  /** Applies one message inside a consumer span that continues the producer's trace (from its headers). */
  private handle(message: JsMsg, partition: number): Promise<void> {
    return tracer.startActiveSpan(
      'feature-store apply',
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.system': 'nats', 'messaging.destination.name': message.subject },
      },
      traceContextOf(message.headers),
      (span) => this.apply(message, partition).finally(() => span.end())
    );
  }

  /** Applies and acks, or throws (Redis failed) for the partition worker to retry in place. */
  private async apply(message: JsMsg, partition: number): Promise<void> {
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
    // The active build, and a build being rebuilt.
    const applied = await applyToProfile(
      { identity: this.identity, writer: this.writer },
      event,
      this.catalog.writeTargets(event.tenantId),
      undefined,
      { partition, seq: message.seq }
    );
    // Also for a duplicate: the delivery before may have died between applying and this.
    if (applied.outcome !== 'erased') await this.options.afterApply?.(applied.event, applied.mergedAway);
    message.ack();
    appliedTotal.inc({ outcome: applied.outcome });
    if (applied.outcome === 'applied') freshnessSeconds.observe(Math.max(0, Date.now() - receivedAtMs) / 1000);
  }
}
