import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { backoffMs, delay, type Logger } from '@dmp/runtime';

import type { ConsumerSpec } from './streams';

/**
 * Consumes one partition of a stream in order, one message at a time, through a durable consumer that it
 * creates afresh where the previous owner's acks stopped. In-order handling is what lets a handler apply
 * each message exactly once by a watermark (the highest stream sequence applied) instead of remembering
 * every message: nothing after a message is handled before it, and after a crash the partition starts again
 * from the first message not acked.
 *
 * Why recreate: a durable redelivers a dead owner's unacked messages only after ack_wait, while it hands new
 * ones out at once. A new owner would then see 101 before 100, and the watermark would skip 100. A consumer
 * created at the ack floor delivers from there in order. Only the partition's owner (partition-leases.ts)
 * runs this, so no one else pulls from the consumer meanwhile.
 */
export class PartitionWorker {
  private stopRequested = false;
  private loop: Promise<void> | undefined;
  /** Stream sequence of the last message handled: a redelivery at or below it was handled already. */
  private lastHandled = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly stream: string,
    private readonly spec: ConsumerSpec,
    private readonly options: {
      batch: number;
      log: Logger;
      what: string;
      onRetry?: () => void;
      /** Whether this replica still owns the partition (PartitionLeases.holds): pulling and handling wait until it does. */
      owned?: () => boolean;
    },
    /** Settles (acks or terms) the message; throws to have it retried in place. */
    private readonly handle: (message: JsMsg) => Promise<void>
  ) {}

  /** Stream sequence of the last message handled (by this worker, or by the owner before, up to its ack floor). */
  get handledSeq(): number {
    return this.lastHandled;
  }

  /** Creates the consumer at the ack floor of the one before, then pulls in the background. */
  async start(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    const name = this.spec.durable_name;
    const before = await jsm.consumers.info(this.stream, name).catch((error: unknown) => {
      if (error instanceof Error && /not found/i.test(error.message)) return undefined;
      throw error;
    });
    if (before) {
      this.lastHandled = before.ack_floor.stream_seq;
      await jsm.consumers.delete(this.stream, name);
    }
    // The spec says where a partition's first consumer starts; later ones start where the one before stopped.
    const { opt_start_time: firstStart, ...rest } = this.spec;
    await jsm.consumers.add(this.stream, {
      ...rest,
      ack_policy: AckPolicy.Explicit,
      ...(before
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.lastHandled + 1 }
        : firstStart !== undefined && { opt_start_time: firstStart }),
    });
    const consumer = await jetstream(this.nc).consumers.get(this.stream, name);
    this.loop = this.run(consumer);
  }

  /** Stops pulling and lets the message in hand finish; the rest of the batch stays for the next owner. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.loop;
  }

  /**
   * Waits while the lease is in doubt (a renewal is late); false once stopped. Either the lease is renewed and
   * this goes on, or it was lost and the leases stop this worker.
   */
  private async whileOwned(): Promise<boolean> {
    while (!this.stopRequested && this.options.owned && !this.options.owned()) await delay(50);
    return !this.stopRequested;
  }

  /**
   * Handles the message, retrying in place while the handler throws (Redis down) and telling JetStream it is
   * still being worked on, rather than letting it be redelivered: an outage does not reorder the partition.
   * False when stopped first (the message stays unacked for the next owner).
   */
  private async handleUntilDone(message: JsMsg): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.handle(message);
        return true;
      } catch (error) {
        if (this.stopRequested) return false;
        this.options.onRetry?.();
        if (attempt === 0)
          this.options.log.warn(`${this.options.what}: handling failed, retrying`, { seq: message.seq, error });
        message.working();
        await delay(backoffMs(attempt, 100, 2_000));
      }
    }
  }

  private async run(consumer: Awaited<ReturnType<JetStreamClient['consumers']['get']>>): Promise<void> {
    const { batch, log, what } = this.options;
    for (let failures = 0; !this.stopRequested;) {
      try {
        if (!(await this.whileOwned())) break;
        const messages = await consumer.fetch({ max_messages: batch, expires: 1_000 });
        for await (const message of messages) {
          if (this.stopRequested || !(await this.whileOwned())) continue; // unacked: the next owner starts from it
          if (message.seq <= this.lastHandled) {
            // Redelivered after ack_wait while an earlier message was retried in place: handled since.
            message.ack();
            continue;
          }
          if (!(await this.handleUntilDone(message))) continue;
          this.lastHandled = message.seq;
        }
        failures = 0;
      } catch (error) {
        // Heartbeats missed, NATS reconnecting, consumer briefly gone: pull again after a pause.
        if (failures++ === 0) log.warn(`${what}: pulling failed, retrying`, { error: (error as Error).message });
        await delay(backoffMs(Math.min(failures, 6), 100, 2_000));
      }
    }
  }
}
