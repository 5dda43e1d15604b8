/**
 * Token buckets per tenant: `eventsPerSecond` tokens refill every second, up to one second's worth (and
 * never less than one full batch, so a tenant with a low rate can still send a batch). Limits are per
 * intake replica: the tenant's cluster-wide rate is this times the number of replicas.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(
    private readonly minimumBurst: number,
    private readonly now: () => number = Date.now
  ) {}

  /**
   * Takes `count` tokens for the tenant if it has them and returns 0; otherwise takes nothing and
   * returns how many milliseconds until it will have them.
   */
  take(tenantId: string, count: number, eventsPerSecond: number): number {
    const nowMs = this.now();
    const capacity = Math.max(eventsPerSecond, this.minimumBurst);
    const bucket = this.buckets.get(tenantId) ?? { tokens: capacity, updatedMs: nowMs };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * eventsPerSecond);
    bucket.updatedMs = nowMs;
    this.buckets.set(tenantId, bucket);
    if (bucket.tokens >= count) {
      bucket.tokens -= count;
      return 0;
    }
    return Math.ceil(((count - bucket.tokens) / eventsPerSecond) * 1000);
  }
}
