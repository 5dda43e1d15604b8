import type { Redis } from 'ioredis';

/**
 * What became of each offer, by idempotency key: `sent` or `dead`, kept 30 days, so that an offer the
 * stream holds twice (a replay after its dedupe window) or is redelivered after a crash is not sent again.
 * Attempts are counted here too: JetStream's delivery count also counts the waits for a send time.
 *
 * | key                        | holds                      |
 * |----------------------------|----------------------------|
 * | dlv:{t}:<key>              | "sent" or "dead"           |
 * | dlv:{t}:<key>:attempts     | attempts made so far       |
 */
const TTL_S = 30 * 86_400;

export type Outcome = 'sent' | 'dead';

export class DeliveryLedger {
  constructor(private readonly redis: Redis) {}

  async outcome(tenantId: string, key: string): Promise<Outcome | undefined> {
    const value = await this.redis.get(`dlv:{${tenantId}}:${key}`);
    return value === 'sent' || value === 'dead' ? value : undefined;
  }

  async record(tenantId: string, key: string, outcome: Outcome): Promise<void> {
    await this.redis.set(`dlv:{${tenantId}}:${key}`, outcome, 'EX', TTL_S);
  }

  /** Counts one more attempt and returns the count (1 for the first). */
  async attempt(tenantId: string, key: string): Promise<number> {
    const attemptsKey = `dlv:{${tenantId}}:${key}:attempts`;
    const [[, count]] = (await this.redis.multi().incr(attemptsKey).expire(attemptsKey, TTL_S).exec()) as [
      [Error | null, number],
    ];
    return count;
  }
}
