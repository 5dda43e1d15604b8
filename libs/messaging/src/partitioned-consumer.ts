import { jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import type { Logger } from '@dmp/runtime';

import { PartitionLeases } from './partition-leases';
import { PartitionWorker } from './partition-worker';
import { eventPartitionsOf, retryWhileUnavailable, type ConsumerSpec } from './streams';

export interface PartitionedConsumerOptions {
  /** A partitioned stream (EVENTS): its partition count is read from its subject transform. */
  stream: string;
  /** The consumer's name: leases `<name>.<partition>`, durables as `consumer(partition)` names them. */
  name: string;
  consumer: (partition: number) => ConsumerSpec;
  /** Replicas of the service running now: each consumes its share of the partitions. */
  replicas: () => number;
  /** Messages pulled at a time from a partition (handled one by one, in order). */
  batch: number;
  /** How long a dead replica's partitions wait before another takes them. @default 10000 */
  leaseMs?: number;
  log: Logger;
  /** Settles (acks or terms) a message; throws to have it retried in place. */
  handle: (message: JsMsg, partition: number) => Promise<void>;
  onRetry?: () => void;
  /** Before a partition this replica now owns delivers its first message. */
  starting?: (partition: number) => Promise<void>;
  /** Once it delivers, with the stream sequence up to which a previous owner handled it. */
  started?: (partition: number, handledSeq: number) => Promise<void>;
  /** After this replica stopped consuming a partition (given up or lost). */
  stopped?: (partition: number) => Promise<void>;
}

/**
 * One consumer of a partitioned stream across a service's replicas: each replica consumes the partitions it
 * holds a lease on (partition-leases.ts), each in order, one message at a time (partition-worker.ts), all its
 * partitions concurrently. Handlers can thus apply each message once by a watermark per partition.
 */
export class PartitionedConsumer {
  private readonly workers = new Map<number, PartitionWorker>();
  private leases: PartitionLeases | undefined;
  private count = 0;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly options: PartitionedConsumerOptions
  ) {}

  static async start(nc: NatsConnection, options: PartitionedConsumerOptions): Promise<PartitionedConsumer> {
    const consumer = new PartitionedConsumer(nc, options);
    const jsm = await jetstreamManager(nc);
    const info = await retryWhileUnavailable(
      `reading ${options.stream}`,
      () => jsm.streams.info(options.stream),
      options.log
    );
    consumer.count = eventPartitionsOf(info.config);
    consumer.leases = await PartitionLeases.start(nc, {
      group: options.name,
      partitions: consumer.count,
      replicas: options.replicas,
      acquire: (partition) => consumer.startPartition(partition),
      release: (partition) => consumer.stopPartition(partition),
      log: options.log,
      ...(options.leaseMs !== undefined && { leaseMs: options.leaseMs }),
    });
    return consumer;
  }

  /** Partitions of the stream. */
  get partitions(): number {
    return this.count;
  }

  /** The partitions this replica consumes now, ascending. */
  owned(): number[] {
    return this.leases?.partitions() ?? [];
  }

  /** Stops pulling, lets the messages in hand finish, and hands the partitions back. */
  async stop(): Promise<void> {
    await this.leases?.stop();
  }

  private async startPartition(partition: number): Promise<void> {
    const { options } = this;
    await options.starting?.(partition);
    const worker = new PartitionWorker(
      this.nc,
      options.stream,
      options.consumer(partition),
      {
        batch: options.batch,
        log: options.log,
        what: `${options.name}, partition ${partition}`,
        owned: () => this.leases?.holds(partition) ?? false,
        ...(options.onRetry && { onRetry: options.onRetry }),
      },
      (message) => options.handle(message, partition)
    );
    await worker.start();
    this.workers.set(partition, worker);
    await options.started?.(partition, worker.handledSeq);
  }

  private async stopPartition(partition: number): Promise<void> {
    const worker = this.workers.get(partition);
    this.workers.delete(partition);
    await worker?.stop();
    await this.options.stopped?.(partition);
  }
}
