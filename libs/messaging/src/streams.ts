import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  StoreCompression,
  type ConsumerConfig,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';

import { backoffMs, delay, type Logger } from '@dmp/runtime';

/**
 * A file-backed stream that keeps messages by age (limits retention, the oldest dropped first), deduplicated
 * on Nats-Msg-Id for `dedupeMinutes`.
 */
function fileStream(
  name: string,
  subjects: string,
  replicas: number,
  limits: { dedupeMinutes: number; maxAgeDays: number; maxMsgBytes: number; maxBytes?: number }
): StreamSpec {
  return {
    name,
    subjects: [subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: replicas,
    duplicate_window: nanos(limits.dedupeMinutes * 60_000),
    max_age: nanos(limits.maxAgeDays * 24 * 3_600_000),
    ...(limits.maxBytes !== undefined && { max_bytes: limits.maxBytes }),
    max_msg_size: limits.maxMsgBytes,
  };
}

/** Every subject on which intake publishes accepted events; see subjects.ts for the tokens. */
export const EVENT_SUBJECTS = 'events.v1.>';
/** Every subject on which intake files rejected events. */
export const FAILED_EVENT_SUBJECTS = 'failed.v1.>';

export type StreamSpec = Partial<StreamConfig> & Pick<StreamConfig, 'name' | 'subjects'>;
export type ConsumerSpec = Partial<ConsumerConfig> & { durable_name: string };

/**
 * Partitions of EVENTS when the stream is created and EVENTS_PARTITIONS does not say: enough for 16 feature
 * store replicas of 2 partitions each. The count is fixed in the stream's subject transform; consumers read it
 * from there (eventPartitionsOf).
 */
export const DEFAULT_EVENT_PARTITIONS = 32;

/**
 * The EVENTS stream: the log of record. Redis state is derived from it and can be rebuilt by replay, so
 * it keeps 30 days. Publishes are deduplicated on Nats-Msg-Id for 10 minutes, longer than any intake
 * retry; the feature store applies each event once by its partition's watermark (writer.ts).
 *
 * Intake publishes on `events.v1.<tenant>.<type>.<subject token>`; the stream stores each event with a fifth
 * token, its partition: a hash of the tenant and the subject token (NATS's `partition()` mapping), so all of
 * one subscriber's events are in one partition, in order, and each partition is consumed by one replica at a
 * time (partition-leases.ts).
 */
export function eventsStream(replicas: number, partitions = DEFAULT_EVENT_PARTITIONS): StreamSpec {
  return {
    ...fileStream('EVENTS', EVENT_SUBJECTS, replicas, { dedupeMinutes: 10, maxAgeDays: 30, maxMsgBytes: 1024 * 1024 }),
    // Most of a NATS node's disk at the target is EVENTS' 30 days: S2 stores a sealed block in about a third
    // (`pnpm bench stream-storage`). Changing it applies to blocks sealed from then on.
    compression: StoreCompression.S2,
    subject_transform: {
      src: 'events.v1.*.*.*',
      dest: `events.v1.{{wildcard(1)}}.{{wildcard(2)}}.{{wildcard(3)}}.{{partition(${partitions},1,3)}}`,
    },
  };
}

/** How many partitions a stream's subject transform makes (1 for a stream without one). */
export function eventPartitionsOf(config: Pick<StreamConfig, 'subject_transform'>): number {
  const match = /\{\{\s*partition\(\s*(\d+)/i.exec(config.subject_transform?.dest ?? '');
  return match ? Number(match[1]) : 1;
}

/** The subjects of one partition of EVENTS, as stored. */
export function eventPartitionFilter(partition: number): string {
  return `events.v1.*.*.*.${partition}`;
}

/**
 * FAILED_EVENTS: every event intake rejected, with the reason and the payload as sent (phone numbers and
 * email addresses replaced by their keyed hashes), so nothing a client sent is silently dropped. Kept 14
 * days for inspection and replay after a fix.
 */
export function failedEventsStream(replicas: number): StreamSpec {
  return fileStream('FAILED_EVENTS', FAILED_EVENT_SUBJECTS, replicas, {
    dedupeMinutes: 10,
    maxAgeDays: 14,
    maxMsgBytes: 1024 * 1024,
  });
}

/** Every subject of logged serving vectors: featurelog.v1.<tenant>.<subject token>. */
export const FEATURE_LOG_SUBJECTS = 'featurelog.v1.>';

/**
 * FEATURE_LOG: the feature vectors decisions were made with (dmp.features.v1.ServedFeatures), for
 * training. Kept 30 days, like the events they are joined with.
 */
export function featureLogStream(replicas: number): StreamSpec {
  return fileStream('FEATURE_LOG', FEATURE_LOG_SUBJECTS, replicas, {
    dedupeMinutes: 2,
    maxAgeDays: 30,
    maxMsgBytes: 1024 * 1024,
  });
}

/** Every subject of shadow scores: scorelog.v1.<model name>. */
export const SCORE_LOG_SUBJECTS = 'scorelog.v1.>';

/**
 * SCORE_LOG: shadow model versions' scores next to the served ones (dmp.scoring.v1.ShadowScores), to
 * compare a candidate on live traffic before it serves anyone. Kept 7 days and at most 10 GiB: a
 * comparison needs days, not history, and shadow traffic must never fill the disk the event log needs.
 */
export function scoreLogStream(replicas: number): StreamSpec {
  return fileStream('SCORE_LOG', SCORE_LOG_SUBJECTS, replicas, {
    dedupeMinutes: 2,
    maxAgeDays: 7,
    maxMsgBytes: 1024 * 1024,
    maxBytes: 10 * 1024 ** 3,
  });
}

/** Every subject of offers to send: deliveries.v1.<tenant>.<channel>.<subject token>. */
export const DELIVERY_SUBJECTS = 'deliveries.v1.>';
export const DEAD_DELIVERY_SUBJECTS = 'deliveries-dead.v1.>';

/**
 * DELIVERIES: offers that trigger campaigns fired (dmp.delivery.v1.Delivery), for the delivery service to
 * send. Deduplicated on the idempotency key for 10 minutes, longer than any redelivery of the event that
 * fired them; kept 7 days as the record of what was sent.
 */
export function deliveriesStream(replicas: number): StreamSpec {
  return fileStream('DELIVERIES', DELIVERY_SUBJECTS, replicas, {
    dedupeMinutes: 10,
    maxAgeDays: 7,
    maxMsgBytes: 64 * 1024,
  });
}

/** DEAD_DELIVERIES: offers the channel refused until the attempts ran out (DeadDelivery), kept 14 days. */
export function deadDeliveriesStream(replicas: number): StreamSpec {
  return fileStream('DEAD_DELIVERIES', DEAD_DELIVERY_SUBJECTS, replicas, {
    dedupeMinutes: 10,
    maxAgeDays: 14,
    maxMsgBytes: 64 * 1024,
  });
}

/** Every subject of campaign decisions: decisionlog.v1.<tenant>.<subject token>. */
export const DECISION_LOG_SUBJECTS = 'decisionlog.v1.>';

/**
 * DECISION_LOG: every campaign decision (dmp.decisioning.v1.DecisionRecord): offers, holdouts logged as if
 * decided, and no-offers, to join with impressions, clicks and conversions for lift and training. Kept 30
 * days, like the events.
 */
export function decisionLogStream(replicas: number): StreamSpec {
  return fileStream('DECISION_LOG', DECISION_LOG_SUBJECTS, replicas, {
    dedupeMinutes: 2,
    maxAgeDays: 30,
    maxMsgBytes: 64 * 1024,
  });
}

/** Every subject of segment membership changes: segments.v1.<tenant>.<segment>.<subject token>. */
export const SEGMENT_CHANGE_SUBJECTS = 'segments.v1.>';

/**
 * SEGMENT_CHANGES: subscribers joining and leaving segments, as they happen, for activation partners (DSPs)
 * and other consumers. JSON `{"tenant","segment","subject","change":"joined"|"left","atMs"}`. Kept 7 days.
 */
export function segmentChangesStream(replicas: number): StreamSpec {
  return fileStream('SEGMENT_CHANGES', SEGMENT_CHANGE_SUBJECTS, replicas, {
    dedupeMinutes: 2,
    maxAgeDays: 7,
    maxMsgBytes: 64 * 1024,
  });
}

/** Every subject of erasure audit records: erasures.v1.<tenant>. */
export const ERASURE_SUBJECTS = 'erasures.v1.>';

/**
 * ERASURES: the audit trail of profile erasures (dmp.features.v1.ErasureRecord: what was deleted and when,
 * the subject named by token only). Kept two years, the usual limitation period for a data protection claim.
 */
export function erasuresStream(replicas: number): StreamSpec {
  return fileStream('ERASURES', ERASURE_SUBJECTS, replicas, {
    dedupeMinutes: 10,
    maxAgeDays: 730,
    maxMsgBytes: 64 * 1024,
  });
}

/** Every subject of admin audit records: audit.v1.<tenant> (audit.v1._platform for platform-wide changes). */
export const AUDIT_SUBJECTS = 'audit.v1.>';

/**
 * AUDIT: every admin change that succeeded (who by key id, when, what, the version before and after), from
 * every service's access interceptor. Kept two years, like erasures.
 */
export function auditStream(replicas: number): StreamSpec {
  return fileStream('AUDIT', AUDIT_SUBJECTS, replicas, { dedupeMinutes: 2, maxAgeDays: 730, maxMsgBytes: 16 * 1024 });
}

/**
 * Where one subject's messages are, stream by stream, for erasure: every per-subscriber subject ends with
 * the subject token (subjects.ts). Not here, because they expire instead: FAILED_EVENTS (rejected events, as
 * sent, 14 days) and SCORE_LOG (shadow scores, 7 days).
 */
export function subjectMessageFilters(tenantId: string, token: string): { stream: string; filter: string }[] {
  return [
    { stream: 'EVENTS', filter: `events.v1.${tenantId}.*.${token}.*` },
    { stream: 'FEATURE_LOG', filter: `featurelog.v1.${tenantId}.${token}` },
    { stream: 'DECISION_LOG', filter: `decisionlog.v1.${tenantId}.${token}` },
    { stream: 'DELIVERIES', filter: `deliveries.v1.${tenantId}.*.${token}` },
    { stream: 'DEAD_DELIVERIES', filter: `deliveries-dead.v1.${tenantId}.*.${token}` },
    { stream: 'SEGMENT_CHANGES', filter: `segments.v1.${tenantId}.*.${token}` },
  ];
}

export const TRIGGERS_DURABLE = 'decisioning-triggers';
export const DELIVERY_DURABLE = 'delivery';

/**
 * Decisioning's trigger consumer of one EVENTS partition, `decisioning-triggers-p<partition>`: every event,
 * once in effect (a redelivered event decides the same way and publishes under the same idempotency key; reports
 * count by the partition's watermark). Recreated at the ack floor by each new owner (PartitionWorker); created
 * the first time a minute back from now, so that events accepted while the replicas were still taking up the
 * partitions fire too, and history does not. Never gives an event up (max_deliver -1): a trigger is not dropped
 * because Redis was down for a while.
 */
export function triggersPartitionConsumer(partition: number, ackWaitSeconds = 30): ConsumerSpec {
  return {
    durable_name: `${TRIGGERS_DURABLE}-p${partition}`,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(Date.now() - 60_000).toISOString(),
    filter_subject: eventPartitionFilter(partition),
    ack_wait: nanos(ackWaitSeconds * 1000),
    max_deliver: -1,
    max_ack_pending: 1_000,
  };
}

/**
 * The delivery service's consumer on DELIVERIES. A message is outstanding to one worker at a time until
 * acked or `ack_wait` passes (the lease; workers extend it while a gateway is slow); retries are naks with
 * a delay, counted by the delivery count, so max_deliver is unlimited and the worker gives up itself.
 */
export function deliveryConsumer(ackWaitSeconds = 30): ConsumerSpec {
  return {
    durable_name: DELIVERY_DURABLE,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: DELIVERY_SUBJECTS,
    ack_wait: nanos(ackWaitSeconds * 1000),
    max_deliver: -1,
    max_ack_pending: 10_000,
  };
}

/**
 * The feature store's durable consumer of one EVENTS partition, named `feature-store-p<partition>`. The replica
 * that owns the partition creates it afresh from the ack floor of the one before (PartitionWorker): messages
 * are handled one at a time, in order, and acked in order, so the ack floor is how far it got. Unlimited
 * deliveries: an event is not given up because Redis was down.
 */
export function featureStorePartitionConsumer(partition: number, ackWaitSeconds = 30): ConsumerSpec {
  return {
    durable_name: `${FEATURE_STORE_DURABLE}-p${partition}`,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: eventPartitionFilter(partition),
    ack_wait: nanos(ackWaitSeconds * 1000),
    max_deliver: -1,
    max_ack_pending: 1_000,
  };
}

/** The feature store's consumers are `feature-store-p0`, `feature-store-p1`, … */
export const FEATURE_STORE_DURABLE = 'feature-store';

/**
 * Messages of EVENTS a partitioned consumer (`feature-store`, `decisioning-triggers`) has not finished yet, over
 * every partition: pending, and in hand (delivered, not acked); undefined while some partition has no consumer
 * yet (its owner has not started it).
 */
export async function partitionedBacklog(
  nc: NatsConnection,
  consumer: string
): Promise<{ pending: number; inHand: number } | undefined> {
  const jsm = await jetstreamManager(nc);
  let partitions: number;
  try {
    partitions = eventPartitionsOf((await jsm.streams.info('EVENTS')).config);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const backlog = { pending: 0, inHand: 0 };
  for (let p = 0; p < partitions; p++) {
    try {
      const info = await jsm.consumers.info('EVENTS', `${consumer}-p${p}`);
      backlog.pending += info.num_pending;
      backlog.inHand += info.num_ack_pending;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
  return backlog;
}

/** Events the feature store has not finished yet (see partitionedBacklog), or undefined. */
export async function featureStoreBacklog(nc: NatsConnection): Promise<number | undefined> {
  const backlog = await partitionedBacklog(nc, FEATURE_STORE_DURABLE);
  return backlog && backlog.pending + backlog.inHand;
}

/**
 * Runs a JetStream API step again while it times out or finds no responder: on a cluster, a stream or the meta
 * leader being elected (a node lost, heavy load) answers nothing for seconds. A service starting then waits for
 * it instead of exiting. Other errors are thrown at once.
 */
export async function retryWhileUnavailable<T>(what: string, step: () => Promise<T>, log?: Logger): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const transient =
        error instanceof Error && /timeout|no responders|503|leader/i.test(`${error.name} ${error.message}`);
      if (!transient || Date.now() > deadline) throw error;
      if (attempt === 0) log?.warn(`${what}: JetStream did not answer, retrying`, { error: error.message });
      await delay(backoffMs(Math.min(attempt, 6), 200, 2_000));
    }
  }
}

/** Creates the stream, or updates it to the spec if it exists (retried while JetStream does not answer). */
export function ensureStream(nc: NatsConnection, spec: StreamSpec): Promise<void> {
  return retryWhileUnavailable(`ensuring the ${spec.name} stream`, () => ensureStreamOnce(nc, spec));
}

async function ensureStreamOnce(nc: NatsConnection, spec: StreamSpec): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    const existing = await jsm.streams.info(spec.name);
    // Partitions are fixed when the stream is made: remapping them would split a subscriber's events
    // between two partitions, out of order. Changing the count means a new stream (docs/deploy.md).
    const transform = existing.config.subject_transform ?? spec.subject_transform;
    await jsm.streams.update(spec.name, { ...spec, ...(transform && { subject_transform: transform }) });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.streams.add(spec);
  }
}

/** Resolves once a stream another service owns exists (EVENTS is event-intake's). */
export async function waitForStream(nc: NatsConnection, stream: string, log: Logger): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (let attempt = 0; ; attempt++) {
    try {
      await jsm.streams.info(stream);
      return;
    } catch (error) {
      if (attempt === 0) log.info(`waiting for the ${stream} stream`, { error: (error as Error).message });
      await delay(backoffMs(Math.min(attempt, 5), 200, 2_000));
    }
  }
}

/** Creates the durable consumer, or updates it to the spec if it exists. */
export async function ensureConsumer(nc: NatsConnection, stream: string, spec: ConsumerSpec): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.consumers.info(stream, spec.durable_name);
    await jsm.consumers.update(stream, spec.durable_name, spec);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(stream, spec);
  }
}

/** Deletes a stream's messages on subjects matching `filter`; how many. A stream that does not exist holds none. */
export async function purgeMessages(nc: NatsConnection, stream: string, filter: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  try {
    return (await jsm.streams.purge(stream, { filter })).purged;
  } catch (error) {
    if (isNotFound(error)) return 0;
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && /not found/i.test(error.message);
}
