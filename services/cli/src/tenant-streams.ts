import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { decodeServedFeatures, INTERACTION_EVENTS, toFeatureEvent, type FeatureEvent } from '@dmp/features';
import type { ServedFeatures__Output } from '@dmp/grpc';
import { decodeEvent, eventsStream, featureLogStream } from '@dmp/messaging';

/**
 * A tenant's history as the streams of record hold it, read end to end with ordered consumers (no server
 * state to clean up, redelivery handled by the client): its interactions in EVENTS, and the feature
 * vectors its decisions were served with in FEATURE_LOG. For `dmp similar build` and `dmp train`.
 */

/**
 * Calls `each` for every event of the tenant of the given types (default: interactions: views, carts, purchases,
 * plays, clicks), oldest first.
 */
export async function eachInteraction(
  nc: NatsConnection,
  tenant: string,
  each: (event: FeatureEvent) => void,
  types: readonly string[] = INTERACTION_EVENTS
): Promise<number> {
  const interactions = new Set(types);
  let count = 0;
  await eachMessage(nc, eventsStream(1).name, `events.v1.${tenant}.>`, (data) => {
    let event: FeatureEvent;
    try {
      event = toFeatureEvent(decodeEvent(data));
    } catch {
      return; // the feature store skipped it too
    }
    if (!interactions.has(event.type)) return;
    each(event);
    count++;
  });
  return count;
}

/** Calls `each` for every logged decision of the tenant (FEATURE_LOG), oldest first; none if the stream is absent. */
export async function eachServedDecision(
  nc: NatsConnection,
  tenant: string,
  each: (served: ServedFeatures__Output) => void
): Promise<number> {
  let count = 0;
  await eachMessage(nc, featureLogStream(1).name, `featurelog.v1.${tenant}.>`, (data) => {
    each(decodeServedFeatures(data));
    count++;
  });
  return count;
}

async function eachMessage(
  nc: NatsConnection,
  stream: string,
  subject: string,
  each: (data: Uint8Array) => void
): Promise<void> {
  let consumer;
  try {
    consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: [subject] });
  } catch (error) {
    if (/stream not found/i.test((error as Error).message)) return;
    throw error;
  }
  for (;;) {
    let pending = 0;
    let received = 0;
    const batch = await consumer.fetch({ max_messages: 1_000, expires: 1_000 });
    for await (const message of batch) {
      received++;
      pending = message.info.pending;
      each(message.data);
    }
    if (received === 0 || pending === 0) return;
  }
}
