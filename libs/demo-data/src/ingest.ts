import { callUnary, type IngestResponse__Output, type IntakeServiceClient, type PropertyValue } from '@dmp/grpc';

import type { DemoEvent } from './shop';

const BATCH = 500;

export interface IngestSummary {
  accepted: number;
  duplicate: number;
  rejected: number;
}

/** Sends events to intake in batches of 500, a few batches in flight, and counts the outcomes. */
export async function ingestEvents(
  client: IntakeServiceClient,
  tenantId: string,
  events: Iterable<DemoEvent>,
  onProgress: (sent: number) => void = () => undefined
): Promise<IngestSummary> {
  const summary: IngestSummary = { accepted: 0, duplicate: 0, rejected: 0 };
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  const send = async (batch: DemoEvent[]): Promise<void> => {
    const response = await callUnary<IngestResponse__Output>((done) =>
      client.Ingest(
        {
          tenantId,
          events: batch.map((e) => ({
            eventId: e.eventId,
            type: e.type,
            identities: { userId: e.userId },
            itemIds: e.itemIds,
            properties: categoryProperty(e),
            occurredAt: { seconds: String(Math.floor(e.occurredAtMs / 1000)), nanos: (e.occurredAtMs % 1000) * 1e6 },
          })),
        },
        done
      )
    );
    for (const result of response.results) {
      if (result.status === 'EVENT_STATUS_ACCEPTED') summary.accepted++;
      else if (result.status === 'EVENT_STATUS_DUPLICATE') summary.duplicate++;
      else summary.rejected++;
    }
    sent += batch.length;
    onProgress(sent);
  };
  let batch: DemoEvent[] = [];
  for (const event of events) {
    batch.push(event);
    if (batch.length === BATCH) {
      const task = send(batch).finally(() => inFlight.delete(task));
      inFlight.add(task);
      batch = [];
      if (inFlight.size >= 4) await Promise.race(inFlight);
    }
  }
  if (batch.length > 0) inFlight.add(send(batch));
  await Promise.all(inFlight);
  return summary;
}

function categoryProperty(e: DemoEvent): Record<string, PropertyValue> {
  return e.category === undefined ? {} : { category: { stringValue: e.category } };
}
