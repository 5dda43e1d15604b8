import type { JetStreamClient } from '@nats-io/jetstream';
import { Counter, Histogram } from 'prom-client';

import { eventMsgId, eventSubject } from '@dmp/messaging';
import { backoffMs, delay, UnavailableError, type Logger } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

import type { ValidEvent } from './validation';

const publishSeconds = new Histogram({
  name: 'intake_publish_duration_seconds',
  help: 'Time from publishing an event to JetStream acknowledging it, retries included.',
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
  registers: [metricsRegistry],
});
const publishRetries = new Counter({
  name: 'intake_publish_retries_total',
  help: 'Publishes retried with the same message id after a timeout or a lost connection.',
  registers: [metricsRegistry],
});

/** Attempts per event before intake answers UNAVAILABLE. */
const ATTEMPTS = 3;

/**
 * Appends accepted events to the EVENTS stream. The message id is tenant + event id, so JetStream drops
 * a repeat within its duplicate window and says so. A publish whose acknowledgement does not arrive may
 * still have been stored (nats.node #628), so it is retried with the same id: the retry then reports a
 * duplicate instead of storing the event twice.
 */
export class EventLog {
  constructor(
    private readonly js: JetStreamClient,
    private readonly timeoutMs: number,
    private readonly log: Logger,
    /** Whether NATS is connected right now: while it is not, appends fail at once instead of queueing. */
    private readonly connected: () => boolean
  ) {}

  /** Appends `event`, already encoded as `data`. */
  async append(event: ValidEvent, data: Uint8Array): Promise<'accepted' | 'duplicate'> {
    const subject = eventSubject(event.tenantId, event.type, event.userId);
    const msgID = eventMsgId(event.tenantId, event.eventId);
    const started = process.hrtime.bigint();
    for (let attempt = 0; ; attempt++) {
      if (!this.connected()) throw new UnavailableError('the event stream is unavailable; retry the batch');
      try {
        const ack = await this.js.publish(subject, data, { msgID, timeout: this.timeoutMs });
        publishSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
        // A retry that finds the id stored most likely found our own first attempt, whose ack was lost:
        // the event is stored once either way, and for this call it was accepted.
        return ack.duplicate && attempt === 0 ? 'duplicate' : 'accepted';
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
