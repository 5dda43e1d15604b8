import type { Redis } from 'ioredis';

/**
 * What became of each offer, by idempotency key, so that an offer the stream holds twice (published again after
 * its dedupe window) or redelivered after a crash is not sent again: one hash per offer,
 *
 * | key             | fields                                                         |
 * |-----------------|----------------------------------------------------------------|
 * | dlv:<t>:{<key>} | `outcome` ("sent" or "dead"), `attempts` (made so far)        |
 *
 * tagged by the offer's own key, so that one tenant's offers spread over every slot of a Redis Cluster (the
 * ledger is 8 days of a big tenant's offers: far more than one shard holds).
 *
 * kept 8 days: DELIVERIES keeps an offer 7 days, so no copy of it can be delivered after that. Attempts are
 * counted here because JetStream's delivery count also counts the waits for a send time.
 */
const TTL_S = 8 * 86_400;

export type Outcome = 'sent' | 'dead';

export class DeliveryLedger {
  constructor(private readonly redis: Redis) {}

  async outcome(tenantId: string, key: string): Promise<Outcome | undefined> {
    const value = await this.redis.hget(ledgerKey(tenantId, key), 'outcome');
    return value === 'sent' || value === 'dead' ? value : undefined;
  }

  async record(tenantId: string, key: string, outcome: Outcome): Promise<void> {
    await this.redis
      .multi()
      .hset(ledgerKey(tenantId, key), 'outcome', outcome)
      .expire(ledgerKey(tenantId, key), TTL_S)
      .exec();
  }

  /** Counts one more attempt and returns the count (1 for the first). */
  async attempt(tenantId: string, key: string): Promise<number> {
    const ledger = ledgerKey(tenantId, key);
    const [[, count]] = (await this.redis.multi().hincrby(ledger, 'attempts', 1).expire(ledger, TTL_S).exec()) as [
      [Error | null, number],
    ];
    return count;
  }
}

const ledgerKey = (tenantId: string, key: string): string => `dlv:${tenantId}:{${key}}`;
