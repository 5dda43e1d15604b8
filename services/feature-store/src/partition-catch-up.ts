import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import type { Logger } from '@dmp/runtime';

/** Runs one step at a time: a partition's live events and a catch-up's last stretch never interleave. */
export class PartitionLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.tail.then(step);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** What a finished catch-up of one partition did, kept in the build (rebuild.ts sums them). */
export interface CatchUpSummary {
  replayed: number;
  alreadyApplied: number;
  /** Store time of the first event read, if any. */
  fromMs?: number;
}

export interface CatchUpDeps {
  nc: NatsConnection;
  stream: string;
  batch: number;
  log: Logger;
  /** Applies one of the tenant's events to the build being filled, at its position; true if it was new there. */
  apply: (message: JsMsg) => Promise<boolean>;
  /** Where a previous catch-up of this partition got to: the last event it applied, if any. */
  resumeAfter: () => Promise<number | undefined>;
  /** Records where this one got to (after each batch: events applied again are found applied, group by group). */
  progress: (seq: number) => Promise<void>;
  /** Records that this partition of the build is caught up. */
  finish: (summary: CatchUpSummary) => Promise<void>;
}

/**
 * Fills one partition's share of a build being rebuilt (rebuild.ts): the tenant's events in the partition, from
 * `sinceMs` (or where a previous owner's catch-up got to), in order, up to the event the live consumer of the
 * partition handled last. Then the live consumer writes the build too, from its next event on, so every event of
 * the partition reaches the build once and in order, and its watermarks stay exact.
 *
 * Most of it runs beside the live consumer; the last stretch runs under the partition's lock, so that the live
 * consumer's position cannot move while the catch-up hands over.
 */
export class PartitionCatchUp {
  private stopped = false;
  private settled = false;
  private done: Promise<void> | undefined;
  private readonly summary: CatchUpSummary = { replayed: 0, alreadyApplied: 0 };
  finished = false;

  constructor(
    private readonly tenantId: string,
    private readonly partition: number,
    private readonly sinceMs: number | undefined,
    private readonly lock: PartitionLock,
    /** Stream sequence of the last event the live consumer of the partition handled. */
    private readonly handledSeq: () => number,
    private readonly deps: CatchUpDeps
  ) {}

  start(): void {
    this.done = this.run()
      .catch((error: unknown) => {
        if (!this.stopped) this.deps.log.warn('rebuild catch-up failed', { partition: this.partition, error });
      })
      .finally(() => (this.settled = true));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  /** Ended without finishing (stopped, or NATS or Redis failed): the partition's next check starts it again. */
  get ended(): boolean {
    return this.settled && !this.finished;
  }

  private async run(): Promise<void> {
    // Beside the live consumer, until it reaches the live position or the end of the partition.
    await this.readFrom(() => this.handledSeq());
    if (this.stopped) return;
    // The last stretch with the live consumer held, from where the first part stopped (its recorded progress).
    await this.lock.run(async () => {
      if (this.stopped) return;
      const upTo = this.handledSeq();
      await this.readFrom(() => upTo);
      if (this.stopped) return;
      await this.deps.finish(this.summary);
      this.finished = true;
    });
  }

  /**
   * Applies the tenant's events of the partition after the recorded progress (or from `sinceMs`), in order,
   * while they are at or below `upTo()`; returns at the first event past it or at the end of the partition.
   */
  private async readFrom(upTo: () => number): Promise<void> {
    const { nc, stream, batch } = this.deps;
    const jsm = await jetstreamManager(nc);
    const watermark = await this.deps.resumeAfter();
    const info = await jsm.consumers.add(stream, {
      filter_subject: `events.v1.${this.tenantId}.*.*.${this.partition}`,
      ack_policy: AckPolicy.None,
      inactive_threshold: 60_000_000_000, // ns: a catch-up that died leaves nothing behind for long
      ...(watermark !== undefined
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: watermark + 1 }
        : this.sinceMs !== undefined
          ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(this.sinceMs).toISOString() }
          : { deliver_policy: DeliverPolicy.All }),
    });
    try {
      let pending = info.num_pending;
      let delivered = 0;
      const consumer = await jetstream(nc).consumers.get(stream, info.name);
      while (pending > 0 && !this.stopped) {
        const messages = await consumer.fetch({ max_messages: Math.min(batch, pending), expires: 5_000 });
        let past = false;
        let read = 0;
        let applied: number | undefined;
        for await (const message of messages) {
          // Every delivery is numbered: one that never arrived (a reconnect mid-batch) is not sent again under
          // AckPolicy.None, and the watermark would pass over it. Failing starts the catch-up again from there.
          if (message.info.deliverySequence !== ++delivered)
            throw new Error(`delivery ${delivered} lost in transit (got ${message.info.deliverySequence})`);
          read++;
          pending = message.info.pending;
          if (past || this.stopped || message.seq > upTo()) {
            past = true; // the live consumer's: left to it
            continue;
          }
          this.summary.fromMs ??= message.info.timestampNanos / 1e6;
          this.summary.replayed++;
          if (!(await this.deps.apply(message))) this.summary.alreadyApplied++;
          applied = message.seq;
        }
        if (applied !== undefined) await this.deps.progress(applied);
        if (past) return;
        if (read === 0) this.deps.log.warn('rebuild catch-up: a fetch came back empty', { pending });
      }
    } finally {
      await jsm.consumers.delete(stream, info.name).catch(() => undefined);
    }
  }
}
