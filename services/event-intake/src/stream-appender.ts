import { Counter, Histogram } from 'prom-client';

import type { JetStreamPublisher, OutgoingMessage } from '@dmp/messaging';
import { backoffMs, delay, UnavailableError, type Logger } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

const appendSeconds = new Histogram({
  name: 'intake_publish_duration_seconds',
  help: 'Time from publishing a batch of messages to JetStream acknowledging all of them, retries included.',
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
  registers: [metricsRegistry],
});
const publishRetries = new Counter({
  name: 'intake_publish_retries_total',
  help: 'Messages published again with the same message id after a timeout or a lost connection.',
  registers: [metricsRegistry],
});

/** Attempts per message before intake answers UNAVAILABLE. */
const ATTEMPTS = 3;

export type Stored = 'stored' | 'duplicate';

/**
 * Appends messages to JetStream streams so that each is stored once. The message id makes JetStream drop
 * a repeat within its duplicate window and say so. A publish whose acknowledgement does not arrive may
 * still have been stored (nats.node #628), so it is retried with the same id: the retry then finds it
 * instead of storing it twice. Nothing is reported stored without an acknowledgement. Each message carries
 * the caller's trace context in its headers, so the consumer's span joins the producer's trace.
 */
export class StreamAppender {
  constructor(
    private readonly publisher: JetStreamPublisher,
    private readonly log: Logger,
    /** Whether NATS is connected right now: while it is not, appends fail at once instead of queueing. */
    private readonly connected: () => boolean
  ) {}

  /**
   * Appends every message; resolves with 'stored' (this call stored it) or 'duplicate' (the stream had it
   * before this call) for each, in order, or fails with UNAVAILABLE if any could not be stored.
   */
  async appendAll(messages: readonly OutgoingMessage[], headers: Record<string, string>): Promise<Stored[]> {
    const started = process.hrtime.bigint();
    const outcomes = new Array<Stored>(messages.length);
    let todo = messages.map((_, index) => index);
    for (let attempt = 0; todo.length > 0; attempt++) {
      if (!this.connected()) throw new UnavailableError('the event stream is unavailable; retry the batch');
      const acks = await this.publisher.publishAll(
        todo.map((index) => messages[index]!),
        headers
      );
      const failed: number[] = [];
      let firstError: Error | undefined;
      acks.forEach((ack, i) => {
        const index = todo[i]!;
        if (ack instanceof Error) {
          failed.push(index);
          firstError ??= ack;
        } else {
          // A retry that finds the id stored most likely found our own first attempt, whose ack was
          // lost: the message is stored once either way, and this call stored it.
          outcomes[index] = ack.duplicate && attempt === 0 ? 'duplicate' : 'stored';
        }
      });
      if (failed.length > 0) {
        if (attempt + 1 >= ATTEMPTS) {
          this.log.warn('publish failed', { messages: failed.length, attempts: ATTEMPTS, error: firstError?.message });
          throw new UnavailableError('the event stream is unavailable; retry the batch', { cause: firstError });
        }
        publishRetries.inc(failed.length);
        await delay(backoffMs(attempt, 100, 1_000));
      }
      todo = failed;
    }
    appendSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    return outcomes;
  }
}
