import { createHash } from 'node:crypto';

import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { Counter } from 'prom-client';

import { toFeatureEvent, type FeatureEvent } from '@dmp/features';
import {
  decodeEvent,
  deliveryKey,
  deliverySubject,
  encodeDelivery,
  StreamWorker,
  TRIGGERS_DURABLE,
  type JetStreamPublisher,
} from '@dmp/messaging';
import { backoffMs, delay, UnavailableError, type Logger } from '@dmp/runtime';
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
 * The campaigns' consumer on EVENTS. It counts impressions, clicks and conversions in the campaign reports
 * (reports.ts), and for every event whose type a trigger campaign of its tenant fires on, decides which offer
 * goes out and publishes it to DELIVERIES. The event is acked only
 * after the delivery is stored, so a crash anywhere redelivers the event; the redelivered event decides the
 * same way (decision id from the event id, caps consumed once per decision and campaign) and publishes
 * under the same idempotency key, which the stream deduplicates. No trigger is lost, none fires twice.
 */
export class CampaignEventConsumer {
  private worker: StreamWorker | undefined;

  constructor(
    private readonly deps: {
      js: JetStreamClient;
      stream: string;
      campaigns: (tenantId: string) => readonly Campaign[];
      sources: DecideSources;
      reports: CampaignReports;
      decisionLog: DecisionLog;
      deliveries: JetStreamPublisher;
      log: Logger;
      maxInFlight: number;
    }
  ) {}

  async start(): Promise<void> {
    const consumer = await this.deps.js.consumers.get(this.deps.stream, TRIGGERS_DURABLE);
    this.deps.log.info('trigger consumer started');
    this.worker = new StreamWorker(
      consumer,
      { maxInFlight: this.deps.maxInFlight, log: this.deps.log, what: 'triggers' },
      (message) => this.handle(message)
    );
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
  }

  private async handle(message: JsMsg): Promise<void> {
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
    for (let attempt = 0; ; attempt++) {
      try {
        // About the profile the event's best identifier belongs to (a link the event itself makes may be a
        // moment behind: the feature store makes it).
        if (event.identifiers.length > 0)
          event = { ...event, subject: await this.deps.sources.profileOf(event.tenantId, event.subject) };
        // Both steps are safe to repeat (a seen mark, and the same decision): a retry redoes both.
        if (reported) await this.report(event);
        if (fires) {
          const outcome = await this.fire(event);
          triggered.inc({ outcome: outcome.offer ? 'offer' : (outcome.noOffer ?? 'none') });
        }
        message.ack();
        return;
      } catch (error) {
        if (this.worker?.stopping) return; // unacked: redelivered after ack_wait, decided the same way
        retries.inc();
        if (attempt === 0) {
          const reason = error instanceof UnavailableError ? error.message : (error as Error).message;
          this.deps.log.warn('trigger decision failed, retrying', { seq: message.seq, error: reason });
        }
        message.working();
        await delay(backoffMs(attempt, 100, 2_000));
      }
    }
  }

  /** An impression, click or conversion into its campaign's report (on the campaign's calendar). */
  private report(event: FeatureEvent): Promise<void> {
    const campaignId = event.properties['campaign_id'];
    const creativeId = event.properties['creative_id'];
    const campaign =
      typeof campaignId === 'string' ? this.deps.campaigns(event.tenantId).find((c) => c.id === campaignId) : undefined;
    return this.deps.reports.record({
      tenantId: event.tenantId,
      eventId: event.eventId,
      type: event.type,
      subject: event.subject,
      ...(campaign && { campaignId: campaign.id }),
      ...(typeof creativeId === 'string' && { creativeId }),
      date: localTime(event.occurredAtMs, campaign?.schedule.timeZone ?? 'UTC').date,
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
