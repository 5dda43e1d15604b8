import { callUnary, type Event, type IngestResponse__Output, type IntakeServiceClient } from '@dmp/grpc';
import type { Delivery__Output } from '@dmp/grpc';

/** Intake takes at most this many events per call. */
const MAX_BATCH = 1_000;

interface Pending {
  tenantId: string;
  event: Event;
  done: (error?: Error) => void;
}

/**
 * Each offer's end — delivered, or failed for good — goes back into intake as a built-in `delivery_status` event,
 * so that the feature store, reporting and later campaigns see it like any other event. Its id is derived
 * from the idempotency key: sent again after a crash, intake stores it once. The events of one event-loop
 * turn go in one Ingest call per tenant: at a thousand offers a second, a call per offer would cost more than
 * the offers.
 */
export class StatusEvents {
  private pending: Pending[] = [];

  constructor(private readonly intake: IntakeServiceClient) {}

  /** Resolves once intake stored the event (or had it already). */
  report(delivery: Delivery__Output, status: 'delivered' | 'failed', attempts: number): Promise<void> {
    const now = Date.now();
    const event: Event = {
      eventId: `delivery-${delivery.idempotencyKey}`,
      type: 'delivery_status',
      // The subject key as the user id: intake keys it exactly as the trigger's own subject.
      identities: { userId: delivery.subjectId },
      occurredAt: { seconds: String(Math.floor(now / 1000)), nanos: (now % 1000) * 1e6 },
      properties: {
        delivery_id: { stringValue: delivery.idempotencyKey },
        status: { stringValue: status },
        campaign_id: { stringValue: delivery.campaignId },
        creative_id: { stringValue: delivery.creativeId },
        channel: { stringValue: delivery.channel },
        decision_id: { stringValue: delivery.decisionId },
        attempts: { numberValue: attempts },
      },
    };
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ tenantId: delivery.tenantId, event, done: (error) => (error ? reject(error) : resolve()) });
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const byTenant = new Map<string, Pending[]>();
    for (const p of batch) {
      const list = byTenant.get(p.tenantId);
      if (list) list.push(p);
      else byTenant.set(p.tenantId, [p]);
    }
    for (const [tenantId, list] of byTenant) {
      for (let i = 0; i < list.length; i += MAX_BATCH) void this.send(tenantId, list.slice(i, i + MAX_BATCH));
    }
  }

  private async send(tenantId: string, list: Pending[]): Promise<void> {
    try {
      const response = await callUnary<IngestResponse__Output>((done) =>
        this.intake.Ingest({ tenantId, events: list.map((p) => p.event) }, done)
      );
      list.forEach((p, i) => {
        const result = response.results[i];
        p.done(
          result?.status === 'EVENT_STATUS_REJECTED'
            ? new Error(`intake rejected the delivery status event: ${result.field} ${result.reason}`)
            : undefined
        );
      });
    } catch (error) {
      for (const p of list) p.done(error as Error);
    }
  }
}
