import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type Consumer,
  type ConsumerConfig,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { backoffMs, delay, type Logger } from '@dmp/runtime';

import type { ConsumerSpec } from './streams';

/**
 * Thrown by a handler to have the partition read again from stream sequence `seq` (the message in hand
 * included): what it wrote after `seq - 1` was lost (a store that failed over), and only the stream has it.
 */
export class ReadAgainFrom extends Error {
  constructor(readonly seq: number) {
    super(`read the partition again from stream sequence ${seq}`);
    this.name = 'ReadAgainFrom';
  }
}

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
  /** Where the consumer starts while nothing was handled: the spec's first start, or where the one before started. */
  private firstStart: Partial<ConsumerConfig>;
  /** Where the consumer starts while nothing was handled yet: the spec's start, or where the one before started. */

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
  ) {
    this.firstStart = startOf(spec);
  }

  /** Stream sequence of the last message handled (by this worker, or by the owner before, up to its ack floor). */
  get handledSeq(): number {
    return this.lastHandled;
  }

  /** Creates the consumer at the ack floor of the one before, then pulls in the background. */
  async start(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    const before = await jsm.consumers.info(this.stream, this.spec.durable_name).catch((error: unknown) => {
      if (error instanceof Error && /not found/i.test(error.message)) return undefined;
      throw error;
    });
    if (before) {
      this.lastHandled = before.ack_floor.stream_seq;
      this.firstStart = startOf(before.config);
    }
    this.loop = this.run(await this.createConsumer());
  }

  /**
   * The partition's durable, created afresh after the last message handled (or, before there is one, where the
   * spec says a partition's first consumer starts). What the old one had delivered and not seen acked is
   * delivered again, in order.
   */
  private async createConsumer(): Promise<Consumer> {
    const jsm = await jetstreamManager(this.nc);
    const name = this.spec.durable_name;
    await jsm.consumers.delete(this.stream, name).catch((error: unknown) => {
      if (!(error instanceof Error && /not found/i.test(error.message))) throw error;
    });
    const config: Partial<ConsumerConfig> = { ...this.spec, ack_policy: AckPolicy.Explicit };
    delete config.deliver_policy;
    delete config.opt_start_seq;
    delete config.opt_start_time;
    await jsm.consumers.add(this.stream, {
      ...config,
      ...(this.lastHandled > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.lastHandled + 1 }
        : this.firstStart),
    });
    return jetstream(this.nc).consumers.get(this.stream, name);
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
        if (error instanceof ReadAgainFrom) throw error;
        if (this.stopRequested) return false;
        this.options.onRetry?.();
        if (attempt === 0)
          this.options.log.warn(`${this.options.what}: handling failed, retrying`, { seq: message.seq, error });
        message.working();
        await delay(backoffMs(attempt, 100, 2_000));
      }
    }
  }

  private async run(consumer: Consumer): Promise<void> {
    const { batch, log, what } = this.options;
    /** Delivery sequence of the last message received from `consumer`: JetStream numbers every delivery. */
    let delivered = 0;
    let readAgain = false;
    for (let failures = 0; !this.stopRequested;) {
      try {
        if (!(await this.whileOwned())) break;
        if (readAgain) {
          consumer = await this.createConsumer();
          [delivered, readAgain] = [0, false];
        }
        const messages = await consumer.fetch({ max_messages: batch, expires: 1_000 });
        for await (const message of messages) {
          if (this.stopRequested || !(await this.whileOwned())) continue; // unacked: the next owner starts from it
          if (message.info.deliverySequence !== delivered + 1) {
            // A delivery never reached this client (a reconnect mid-batch, a fetch closed as it arrived). JetStream
            // would send it again only after ack_wait, behind later messages, which the watermark would then
            // let pass over it: start again after the last message handled instead.
            log.warn(`${what}: a delivery was lost in transit`, {
              expected: delivered + 1,
              got: message.info.deliverySequence,
            });
            throw new ReadAgainFrom(this.lastHandled + 1);
          }
          delivered = message.info.deliverySequence;
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
        if (error instanceof ReadAgainFrom) {
          log.warn(`${what}: reading the partition again`, { fromSeq: error.seq, handledSeq: this.lastHandled });
          this.lastHandled = Math.min(this.lastHandled, error.seq - 1);
          readAgain = true;
          continue;
        }
        // Heartbeats missed, NATS reconnecting, consumer briefly gone: pull again after a pause.
        if (failures++ === 0) log.warn(`${what}: pulling failed, retrying`, { error: (error as Error).message });
        await delay(backoffMs(Math.min(failures, 6), 100, 2_000));
      }
    }
  }
}

/** Where a consumer's delivery starts, from its config. */
function startOf(config: Partial<ConsumerConfig>): Partial<ConsumerConfig> {
  const { deliver_policy, opt_start_seq, opt_start_time } = config;
  return {
    ...(deliver_policy !== undefined && { deliver_policy }),
    ...(opt_start_seq !== undefined && { opt_start_seq }),
    ...(opt_start_time !== undefined && { opt_start_time }),
  };
}
