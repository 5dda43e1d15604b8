import { Counter, Histogram } from 'prom-client';

import type { JetStreamPublisher } from '@dmp/messaging';
import { backoffMs, delay, UnavailableError, type Logger } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

const publishSeconds = new Histogram({
  name: 'intake_publish_duration_seconds',
  help: 'Time from publishing a message to JetStream acknowledging it, retries included.',
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
  registers: [metricsRegistry],
});
const publishRetries = new Counter({
  name: 'intake_publish_retries_total',
  help: 'Publishes retried with the same message id after a timeout or a lost connection.',
  registers: [metricsRegistry],
});

/** Attempts per message before intake answers UNAVAILABLE. */
const ATTEMPTS = 3;

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

  /** 'stored' when this call stored it; 'duplicate' when the stream had it before this call. */
  async append(
    subject: string,
    msgID: string,
    data: Uint8Array,
    headers: Record<string, string>
  ): Promise<'stored' | 'duplicate'> {
    const started = process.hrtime.bigint();
    for (let attempt = 0; ; attempt++) {
      if (!this.connected()) throw new UnavailableError('the event stream is unavailable; retry the batch');
      try {
        const ack = await this.publisher.publish(subject, data, msgID, headers);
        publishSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
        // A retry that finds the id stored most likely found our own first attempt, whose ack was lost:
        // the message is stored once either way, and this call stored it.
        return ack.duplicate && attempt === 0 ? 'duplicate' : 'stored';
      } catch (error) {
        if (attempt + 1 >= ATTEMPTS) {
          this.log.warn('publish failed', { msgID, attempts: ATTEMPTS, error: (error as Error).message });
          throw new UnavailableError('the event stream is unavailable; retry the batch', { cause: error });
        }
        publishRetries.inc();
        await delay(backoffMs(attempt, 100, 1_000));
      }
    }
  }
}
