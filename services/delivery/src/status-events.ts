import { callUnary, type IngestResponse__Output, type IntakeServiceClient } from '@dmp/grpc';
import type { Delivery__Output } from '@dmp/grpc';

/**
 * Each offer's end — delivered, or failed for good — goes back into intake as a built-in `delivery` event,
 * so that the feature store, reporting and later campaigns see it like any other event. Its id is derived
 * from the idempotency key: sent again after a crash, intake stores it once.
 */
export class StatusEvents {
  constructor(private readonly intake: IntakeServiceClient) {}

  async report(delivery: Delivery__Output, status: 'delivered' | 'failed', attempts: number): Promise<void> {
    const now = Date.now();
    const response = await callUnary<IngestResponse__Output>((done) =>
      this.intake.Ingest(
        {
          tenantId: delivery.tenantId,
          events: [
            {
              eventId: `delivery-${delivery.idempotencyKey}`,
              type: 'delivery',
              // The subject key as the user id: intake keys it exactly as the trigger's own subject.
              identities: { userId: delivery.subjectId },
              occurredAt: { seconds: String(Math.floor(now / 1000)), nanos: (now % 1000) * 1e6 },
              properties: {
                status: { stringValue: status },
                campaign_id: { stringValue: delivery.campaignId },
                creative_id: { stringValue: delivery.creativeId },
                channel: { stringValue: delivery.channel },
                decision_id: { stringValue: delivery.decisionId },
                attempts: { numberValue: attempts },
              },
            },
          ],
        },
        done
      )
    );
    const result = response.results[0];
    if (result?.status === 'EVENT_STATUS_REJECTED') {
      throw new Error(`intake rejected the delivery status event: ${result.field} ${result.reason}`);
    }
  }
}
