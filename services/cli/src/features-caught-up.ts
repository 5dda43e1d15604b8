import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { FEATURE_STORE_DURABLE } from '@dmp/messaging';

/** Resolves once the feature store has acknowledged everything in the EVENTS stream. */
export async function featuresCaughtUp(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (;;) {
    const info = await jsm.consumers.info('EVENTS', FEATURE_STORE_DURABLE);
    if (info.num_pending === 0 && info.num_ack_pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
