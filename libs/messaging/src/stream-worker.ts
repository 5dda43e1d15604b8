import type { Consumer, JsMsg } from '@nats-io/jetstream';

import { backoffMs, delay, type Logger } from '@dmp/runtime';

/**
 * Pulls a durable consumer's messages and hands each to `handle`, at most `maxInFlight` at a time. It pulls
 * with fetch() rather than consume(): a batch ends by itself (full, or after a second), so stopping means
 * "finish this batch", and no message is left in flight to a closed subscription, where it would wait out
 * ack_wait before redelivery. Messages are handled as they arrive, not per batch. Acking is the handler's.
 */
export class StreamWorker {
  private readonly inFlight = new Set<Promise<void>>();
  /** Resolves the pull loop's wait for a free slot. */
  private slotFreed: (() => void) | undefined;
  private stopRequested = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: { maxInFlight: number; log: Logger; what: string },
    private readonly handle: (message: JsMsg) => Promise<void>
  ) {}

  /** True once stop() was called: a handler retrying in place should give up (the message is redelivered). */
  get stopping(): boolean {
    return this.stopRequested;
  }

  start(): void {
    this.loop = this.run();
  }

  /** Stops pulling, lets the messages in hand finish, then returns. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async run(): Promise<void> {
    const { maxInFlight, log, what } = this.options;
    for (let failures = 0; !this.stopRequested;) {
      try {
        const batch = await this.consumer.fetch({ max_messages: maxInFlight, expires: 1_000 });
        for await (const message of batch) {
          const task = this.handle(message)
            .catch((error: unknown) => log.error(`${what}: handling a message failed`, { seq: message.seq, error }))
            .finally(() => {
              this.inFlight.delete(task);
              this.slotFreed?.();
            });
          this.inFlight.add(task);
          // Not Promise.race(inFlight): that subscribes to every task in flight, per message.
          if (this.inFlight.size >= maxInFlight) await new Promise<void>((resolve) => (this.slotFreed = resolve));
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
