import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { SpanKind, trace } from '@opentelemetry/api';
import { Counter, Histogram } from 'prom-client';

import {
  timestampMs,
  toFeatureEvent,
  type FeatureCatalog,
  type FeatureEvent,
  type FeatureWriter,
  type IdentityGraph,
} from '@dmp/features';
import { decodeEvent, FEATURE_STORE_DURABLE, StreamWorker, traceContextOf } from '@dmp/messaging';
import { backoffMs, delay, type Logger, type Readiness } from '@dmp/runtime';
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
const applyRetries = new Counter({
  name: 'feature_store_apply_retries_total',
  help: 'Applications retried in place because Redis failed.',
  registers: [metricsRegistry],
});

export interface EventConsumerOptions {
  stream: string;
  maxInFlight: number;
  /**
   * Runs after an event is applied (or found applied) to its profile, before it is acked: segment
   * memberships, of the profile and of the profiles the event merged into it.
   */
  afterApply?: (event: FeatureEvent, mergedAway: readonly string[]) => Promise<void>;
}

/**
 * Feeds the EVENTS stream into the feature writer: at least once from JetStream, exactly once in effect
 * thanks to the writer's dedupe mark. An event is acked only after its script succeeded. When Redis
 * fails, the event is retried in place (telling JetStream we are still working on it) rather than nak'd,
 * so an outage does not burn through its delivery attempts; no new events are pulled meanwhile because
 * every slot is busy.
 */
export class EventConsumer {
  private worker: StreamWorker | undefined;

  constructor(
    private readonly js: JetStreamClient,
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
    const consumer = await this.js.consumers.get(this.options.stream, FEATURE_STORE_DURABLE);
    this.readiness.set('consumer', true);
    this.worker = new StreamWorker(
      consumer,
      { maxInFlight: this.options.maxInFlight, log: this.log, what: 'feature store' },
      (message) => this.handle(message)
    );
    this.worker.start();
  }

  /** Stops pulling, finishes and acks the events in hand, then returns. */
  async stop(): Promise<void> {
    this.readiness.set('consumer', false);
    await this.worker?.stop();
  }

  /** Applies one message inside a consumer span that continues the producer's trace (from its headers). */
  private handle(message: JsMsg): Promise<void> {
    return tracer.startActiveSpan(
      'feature-store apply',
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.system': 'nats', 'messaging.destination.name': message.subject },
      },
      traceContextOf(message.headers),
      (span) => this.apply(message).finally(() => span.end())
    );
  }

  private async apply(message: JsMsg): Promise<void> {
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
    for (let attempt = 0; ; attempt++) {
      try {
        // The active build, and a build being rebuilt (each with its own dedupe mark).
        const applied = await applyToProfile(
          { identity: this.identity, writer: this.writer },
          event,
          this.catalog.writeTargets(event.tenantId)
        );
        // Also for a duplicate: the delivery before may have died between applying and this.
        if (applied.outcome !== 'erased') await this.options.afterApply?.(applied.event, applied.mergedAway);
        message.ack();
        appliedTotal.inc({ outcome: applied.outcome });
        if (applied.outcome === 'applied') freshnessSeconds.observe(Math.max(0, Date.now() - receivedAtMs) / 1000);
        return;
      } catch (error) {
        if (this.worker?.stopping) return; // unacked: redelivered after ack_wait to whoever consumes next
        applyRetries.inc();
        if (attempt === 0) this.log.warn('applying event failed, retrying', { seq: message.seq, error });
        message.working();
        await delay(backoffMs(attempt, 100, 2_000));
      }
    }
  }
}
