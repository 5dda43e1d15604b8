import type { JsMsg } from '@nats-io/jetstream';
import { Counter, Histogram } from 'prom-client';

import type { Delivery__Output } from '@dmp/grpc';
import { deadDeliverySubject, decodeDelivery, encodeDeadDelivery, type JetStreamPublisher } from '@dmp/messaging';
import { backoffMs, type Logger } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

import type { DeliveryLedger } from './ledger';
import type { StatusEvents } from './status-events';
import type { WebhookChannel } from './webhook';

const outcomes = new Counter({
  name: 'delivery_offers_total',
  help: 'Offers that reached an end, by channel and outcome: sent, dead (dead-lettered), already (sent or dead before: a redelivery).',
  labelNames: ['channel', 'outcome'],
  registers: [metricsRegistry],
});
const attemptsTotal = new Counter({
  name: 'delivery_attempts_total',
  help: 'POSTs to gateways, by channel and result: ok, retry (will be tried again), refused (4xx: no retry).',
  labelNames: ['channel', 'result'],
  registers: [metricsRegistry],
});
const latency = new Histogram({
  name: 'delivery_trigger_to_send_seconds',
  help: 'From the decision to the gateway accepting the offer (includes delays and quiet hours).',
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
  registers: [metricsRegistry],
});

/** Longest single wait on a send time: JetStream redelivers a nak'd message after at most this. */
const MAX_WAIT_MS = 3_600_000;

const msOf = (t: { seconds: string; nanos: number } | null): number =>
  t ? Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6) : 0;

export interface DeliveryWorkerDeps {
  channel: WebhookChannel;
  ledger: DeliveryLedger;
  status: StatusEvents;
  deadLetters: JetStreamPublisher;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  log: Logger;
}

/**
 * One offer from DELIVERIES, at least once from JetStream, once in effect:
 *
 * 1. Decoded; one that does not decode is terminated (nothing could ever send it).
 * 2. Already sent or dead by the ledger (a redelivery, or a replay past the stream's dedupe): its status
 *    event is reported again (intake stores it once) and it is acked.
 * 3. Not yet due (a delay, quiet hours): nak'd until then.
 * 4. POSTed with its idempotency key. Accepted: recorded as sent, status reported, acked. A crash between
 *    the POST and the ack redelivers it after ack_wait, and the gateway, keyed by the idempotency key,
 *    does not send it twice.
 * 5. Refused for good (4xx), or failed `maxAttempts` times: copied to DEAD_DELIVERIES, recorded as dead,
 *    reported failed, acked. Otherwise nak'd for another attempt after an exponential backoff with full
 *    jitter, so that a gateway coming back is not hit by every retry at once.
 *
 * A Redis, NATS or intake failure along the way leaves the message to be redelivered: every step is safe
 * to repeat.
 */
export async function handleDelivery(message: JsMsg, deps: DeliveryWorkerDeps): Promise<void> {
  let delivery: Delivery__Output;
  try {
    delivery = decodeDelivery(message.data);
    if (!delivery.idempotencyKey || !delivery.tenantId) throw new Error('no idempotency key or tenant');
  } catch (error) {
    deps.log.error('malformed delivery terminated', { seq: message.seq, error });
    message.term('malformed delivery');
    return;
  }
  const { tenantId, idempotencyKey: key, channel } = delivery;
  try {
    const known = await deps.ledger.outcome(tenantId, key);
    if (known) {
      await deps.status.report(delivery, known === 'sent' ? 'delivered' : 'failed', 0);
      outcomes.inc({ channel, outcome: 'already' });
      message.ack();
      return;
    }
    const waitMs = msOf(delivery.notBefore) - Date.now();
    if (waitMs > 0) {
      message.nak(Math.min(waitMs, MAX_WAIT_MS));
      return;
    }
    const attempt = await deps.ledger.attempt(tenantId, key);
    message.working(); // the POST may take up to its timeout: keep the lease
    const outcome = await deps.channel.send(delivery, attempt);
    if (outcome.ok) {
      attemptsTotal.inc({ channel, result: 'ok' });
      await deps.ledger.record(tenantId, key, 'sent');
      latency.observe(Math.max(0, Date.now() - msOf(delivery.decidedAt)) / 1000);
      await deps.status.report(delivery, 'delivered', attempt);
      outcomes.inc({ channel, outcome: 'sent' });
      message.ack();
      return;
    }
    attemptsTotal.inc({ channel, result: outcome.retry ? 'retry' : 'refused' });
    if (outcome.retry && attempt < deps.maxAttempts) {
      message.nak(Math.max(1, backoffMs(attempt, deps.retryBaseMs, deps.retryMaxMs)));
      return;
    }
    const deadAt = Date.now();
    await deps.deadLetters.publish(
      deadDeliverySubject(tenantId, channel, delivery.subjectId),
      encodeDeadDelivery({
        delivery,
        reason: outcome.reason,
        attempts: attempt,
        deadAt: { seconds: String(Math.floor(deadAt / 1000)), nanos: (deadAt % 1000) * 1e6 },
      }),
      key
    );
    await deps.ledger.record(tenantId, key, 'dead');
    await deps.status.report(delivery, 'failed', attempt);
    outcomes.inc({ channel, outcome: 'dead' });
    deps.log.warn('offer dead-lettered', { tenant: tenantId, key, channel, attempts: attempt, reason: outcome.reason });
    message.ack();
  } catch (error) {
    deps.log.warn('delivery step failed; it will be retried', { key, error: (error as Error).message });
    message.nak(1_000);
  }
}
