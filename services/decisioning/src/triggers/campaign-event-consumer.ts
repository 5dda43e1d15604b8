import { createHash } from 'node:crypto';

import type { JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Counter } from 'prom-client';

import { toFeatureEvent, type FeatureEvent } from '@dmp/features';
import {
  decodeEvent,
  deliveryKey,
  deliverySubject,
  encodeDelivery,
  PartitionedConsumer,
  TRIGGERS_DURABLE,
  triggersPartitionConsumer,
  type JetStreamPublisher,
} from '@dmp/messaging';
import type { Logger } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

import type { Campaign } from '../campaigns/campaign';
import { decide, type DecideResult, type DecideSources } from '../campaigns/decide';
import { CampaignReports } from '../campaigns/reports';
import type { DecisionLog } from '../decision-log';
import { localTime } from '../campaigns/schedule';
import { sendAt, subscriberTimeZone } from './send-time';

const triggered = new Counter({
  name: 'decisioning_trigger_events_total',
  help: 'Events the trigger consumer read, by outcome: no_campaign (no trigger campaign of its type), offer, or why there was none.',
  labelNames: ['outcome'],
  registers: [metricsRegistry],
});
const retries = new Counter({
  name: 'decisioning_trigger_retries_total',
  help: 'Trigger decisions retried in place because Redis or NATS failed.',
  registers: [metricsRegistry],
});

const toTimestamp = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });

/**
 * The campaigns' consumer on EVENTS, partition by partition (libs/messaging partitioned-consumer.ts: each
 * partition on one replica at a time, in order). It counts impressions, clicks and conversions in the campaign
 * reports (reports.ts), once each by the partition's watermark, and for every event whose type a trigger
 * campaign of its tenant fires on, decides which offer goes out and publishes it to DELIVERIES. The event is
 * acked only after the delivery is stored, so a crash anywhere redelivers the event; the redelivered event
 * decides the same way (decision id from the event id, caps consumed once per decision and campaign) and
 * publishes under the same idempotency key, which the stream deduplicates. No trigger is lost, none fires twice.
 */
export class CampaignEventConsumer {
  private consumer: PartitionedConsumer | undefined;

  constructor(
    private readonly deps: {
      nc: NatsConnection;
      stream: string;
      campaigns: (tenantId: string) => readonly Campaign[];
      sources: DecideSources;
      reports: CampaignReports;
      decisionLog: DecisionLog;
      deliveries: JetStreamPublisher;
      log: Logger;
      /** Replicas of decisioning running now: each consumes its share of the partitions. */
      replicas: () => number;
      /** Events pulled at a time from one partition (decided one by one, in order). */
      batch: number;
      ackWaitSeconds: number;
      leaseMs: number;
    }
  ) {}

  async start(): Promise<void> {
    const { nc, stream, replicas, batch, ackWaitSeconds, leaseMs, log } = this.deps;
    this.consumer = await PartitionedConsumer.start(nc, {
      stream,
      name: TRIGGERS_DURABLE,
      consumer: (partition) => triggersPartitionConsumer(partition, ackWaitSeconds),
      replicas,
      batch,
      leaseMs,
      log,
      onRetry: () => retries.inc(),
      handle: (message, partition) => this.handle(message, partition),
    });
    log.info('trigger consumer started', { partitions: this.consumer.partitions });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  /** Settles the message, or throws (Redis or NATS failed) for it to be retried in place. */
  private async handle(message: JsMsg, partition: number): Promise<void> {
    let event: FeatureEvent;
    try {
      event = toFeatureEvent(decodeEvent(message.data));
    } catch {
      message.term('malformed event'); // the feature store logs these; nothing here can fire on one
      return;
    }
    const reported = CampaignReports.counts(event.type);
    const fires = this.deps
      .campaigns(event.tenantId)
      .some((c) => c.status === 'active' && c.trigger?.event === event.type);
    if (!reported && !fires) {
      triggered.inc({ outcome: 'no_campaign' });
      message.ack();
      return;
    }
    // About the profile the event's best identifier belongs to (a link the event itself makes may be a
    // moment behind: the feature store makes it).
    if (event.identifiers.length > 0)
      event = { ...event, subject: await this.deps.sources.profileOf(event.tenantId, event.subject) };
    // Both steps are safe to repeat (the watermark, and the same decision): a retry redoes both.
    if (reported) await this.report(event, { partition, seq: message.seq });
    if (fires) {
      const outcome = await this.fire(event);
      triggered.inc({ outcome: outcome.offer ? 'offer' : (outcome.noOffer ?? 'none') });
    }
    message.ack();
  }

  /** An impression, click or conversion into its campaign's report (on the campaign's calendar). */
  private report(event: FeatureEvent, position: { partition: number; seq: number }): Promise<void> {
    const campaignId = event.properties['campaign_id'];
    const creativeId = event.properties['creative_id'];
    const campaign =
      typeof campaignId === 'string' ? this.deps.campaigns(event.tenantId).find((c) => c.id === campaignId) : undefined;
    return this.deps.reports.record({
      tenantId: event.tenantId,
      type: event.type,
      subject: event.subject,
      ...(campaign && { campaignId: campaign.id }),
      ...(typeof creativeId === 'string' && { creativeId }),
      date: localTime(event.occurredAtMs, campaign?.schedule.timeZone ?? 'UTC').date,
      ...position,
    });
  }

  /** Decides for one event and stores the delivery; throws (to be retried) when Redis or NATS fails. */
  private async fire(event: FeatureEvent): Promise<DecideResult> {
    const decisionId = `trigger-${createHash('sha256').update(`${event.tenantId}\u0000${event.eventId}`).digest('hex').slice(0, 32)}`;
    const decidedAtMs = Date.now();
    const request = {
      tenantId: event.tenantId,
      subjectId: event.subject,
      placement: '',
      channel: '',
      context: event.context,
      decisionId,
      nowMs: decidedAtMs,
      trigger: { type: event.type, properties: event.properties },
    };
    const result = await decide(request, this.deps.sources);
    const offer = result.offer;
    if (!offer) {
      this.deps.decisionLog.log('trigger', request, result, event.eventId);
      return result;
    }
    const campaign = this.deps.campaigns(event.tenantId).find((c) => c.id === offer.campaignId)!;
    const key = deliveryKey(event.tenantId, event.eventId, offer.campaignId);
    const notBefore = sendAt(
      decidedAtMs,
      campaign.trigger!,
      subscriberTimeZone(event.properties, campaign.schedule.timeZone)
    );
    await this.deps.deliveries.publish(
      deliverySubject(event.tenantId, offer.channel, event.subject),
      encodeDelivery({
        idempotencyKey: key,
        tenantId: event.tenantId,
        subjectId: event.subject,
        campaignId: offer.campaignId,
        campaignVersion: offer.campaignVersion,
        creativeId: offer.creativeId,
        channel: offer.channel,
        decisionId,
        triggerEventId: event.eventId,
        triggerEventType: event.type,
        notBefore: toTimestamp(notBefore),
        decidedAt: toTimestamp(decidedAtMs),
      }),
      key
    );
    this.deps.decisionLog.log('trigger', request, result, event.eventId);
    return result;
  }
}
