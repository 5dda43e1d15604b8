import type { NatsConnection } from '@nats-io/transport-node';

import { featureStoreBacklog } from '@dmp/messaging';

/** Resolves once the feature store has acknowledged everything in the EVENTS stream, in every partition. */
export async function featuresCaughtUp(nc: NatsConnection): Promise<void> {
  for (;;) {
    if ((await featureStoreBacklog(nc)) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
