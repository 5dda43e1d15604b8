import { randomUUID } from 'node:crypto';

import type { NatsConnection, Subscription } from '@nats-io/transport-node';

/**
 * How many replicas of a service are running, from heartbeats on core NATS (dmp.presence.v1.<service>, every
 * `intervalMs`, nothing stored): a replica counts until three heartbeats are missed. Rates shared across
 * replicas (request quotas) divide by it.
 */
export class ReplicaPresence {
  private readonly seen = new Map<string, number>();
  private readonly id = randomUUID();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly subscription: Subscription,
    private readonly intervalMs: number,
    private readonly now: () => number
  ) {}

  static start(nc: NatsConnection, service: string, intervalMs = 2_000, now = Date.now): ReplicaPresence {
    const subject = `dmp.presence.v1.${service}`;
    const subscription = nc.subscribe(subject);
    const presence = new ReplicaPresence(subscription, intervalMs, now);
    void (async () => {
      for await (const message of subscription) presence.seen.set(message.string(), now());
    })();
    const beat = (): void => {
      if (!nc.isClosed() && !nc.isDraining()) nc.publish(subject, presence.id);
    };
    beat();
    presence.timer = setInterval(beat, intervalMs);
    presence.timer.unref();
    return presence;
  }

  /** Replicas heard from lately, this one included. */
  count(): number {
    const since = this.now() - 3 * this.intervalMs;
    let count = 1;
    for (const [id, at] of this.seen) {
      if (at < since) this.seen.delete(id);
      else if (id !== this.id) count++;
    }
    return count;
  }

  stop(): void {
    clearInterval(this.timer);
    this.subscription.unsubscribe();
  }
}
