import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';

import { decodeErasureRecord, ERASURE_SUBJECTS, StreamWorker, type ErasureRecord } from '@dmp/messaging';
import type { Logger } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

import { capsKeys } from './campaigns/keys';

const erased = new Counter({
  name: 'decisioning_subscribers_erased_total',
  help: 'Subscribers whose caps, contact-policy counters, exposures and decisions were erased (one per subject token of an erasure on ERASURES).',
  registers: [metricsRegistry],
});

/** The durable consumer of ERASURES through which decisioning erases its own state about a subscriber. */
export const ERASURES_DURABLE = 'decisioning-erasures';

/**
 * Erases what decisioning keeps about a subscriber when their profile is erased. The feature store erases the
 * profile (DeleteProfile) and records it on ERASURES, naming the profile's identifiers by subject token only;
 * this consumer deletes each token's hash in the caps Redis (campaigns/keys.ts: caps, contact-policy counters,
 * exposures and decisions, all in that one key). Deleting is idempotent, so a redelivery does no harm and an
 * erasure is acked only once its keys are gone. Campaign reports keep their counts: they name no one (the
 * HyperLogLogs of exposed and converted subscribers hold no recoverable identifier).
 *
 * The consumer is created, the first time, an hour back: an erasure made while decisioning was being deployed
 * is not missed, and the two years of audit trail are not replayed over subscribers who came back since.
 */
export class ErasureConsumer {
  private worker: StreamWorker | undefined;

  constructor(private readonly deps: { nc: NatsConnection; capsRedis: Redis; log: Logger; ackWaitSeconds: number }) {}

  async start(): Promise<void> {
    const { nc, log, ackWaitSeconds } = this.deps;
    const jsm = await jetstreamManager(nc);
    const exists = await jsm.consumers.info('ERASURES', ERASURES_DURABLE).then(
      () => true,
      (error: unknown) => {
        if (error instanceof Error && /not found/i.test(error.message)) return false;
        throw error;
      }
    );
    if (!exists)
      await jsm.consumers.add('ERASURES', {
        durable_name: ERASURES_DURABLE,
        filter_subject: ERASURE_SUBJECTS,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.StartTime,
        opt_start_time: new Date(Date.now() - 3_600_000).toISOString(),
        ack_wait: nanos(ackWaitSeconds * 1000),
        max_deliver: -1,
      });
    this.worker = new StreamWorker(
      await jetstream(nc).consumers.get('ERASURES', ERASURES_DURABLE),
      { maxInFlight: 4, log, what: 'erasures' },
      (message) => this.handle(message)
    );
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
  }

  private async handle(message: JsMsg): Promise<void> {
    let record: ErasureRecord;
    try {
      record = decodeErasureRecord(message.data);
    } catch {
      this.deps.log.error('malformed erasure record terminated', { seq: message.seq });
      message.term('malformed erasure record');
      return;
    }
    try {
      // One DEL per key: on a Redis Cluster the tokens' keys are in different slots.
      await Promise.all(
        record.subjectTokens.map((token) => this.deps.capsRedis.del(capsKeys.subscriberOfToken(record.tenantId, token)))
      );
    } catch (error) {
      this.deps.log.warn('erasing a subscriber failed; it will be retried', { error: (error as Error).message });
      message.nak(1_000);
      return;
    }
    erased.inc(record.subjectTokens.length);
    message.ack();
  }
}
