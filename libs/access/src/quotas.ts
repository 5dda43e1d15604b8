import type { ApiKeyRecord, Scope } from './api-keys';

/** What a quota counts: calls that serve (Recommend, Decide …) and calls that ingest (Ingest, UpsertItems …). */
export type QuotaKind = 'serve' | 'ingest';

export interface QuotaLimits {
  /** Calls per second across all replicas for a tenant, by kind; undefined: no limit. */
  tenantRate: (tenantId: string, kind: QuotaKind) => number | undefined;
  /** How many replicas of this service share the tenant's and keys' rates (at least 1). */
  replicas: () => number;
}

export interface QuotaRefusal {
  message: string;
  retryAfterMs: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Request quotas of tenants and keys, as token buckets per replica holding each rate divided by the number of
 * replicas (counted live, see ReplicaPresence): no shared state on the request path, so a check costs a map
 * lookup. The tolerance, documented in the README: with calls spread evenly over N replicas the cluster admits
 * the rate (plus one second's burst per replica at most); with an uneven spread, fewer; for a few seconds
 * after a replica joins, up to the rate × (N + 1) / N.
 */
export class RequestQuotas {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: QuotaLimits,
    private readonly now: () => number = Date.now
  ) {}

  /** Takes one call of `kind` for the tenant and the key, or says why not and when to retry. */
  take(key: ApiKeyRecord, tenantId: string, kind: QuotaKind): QuotaRefusal | undefined {
    const replicas = Math.max(1, this.limits.replicas());
    const tenantRate = tenantId === '' ? undefined : this.limits.tenantRate(tenantId, kind);
    const keyRate = key.requestsPerSecond;
    const nowMs = this.now();
    // Both buckets must have a token before either is taken from, so a refusal spends nothing.
    const tenant =
      tenantRate === undefined ? undefined : this.bucket(`t:${kind}:${tenantId}`, tenantRate / replicas, nowMs);
    const own = keyRate === undefined ? undefined : this.bucket(`k:${key.id}`, keyRate / replicas, nowMs);
    if (tenant && tenant.bucket.tokens < 1) {
      return {
        message: `tenant "${tenantId}" is over its ${tenantRate} ${kind} requests per second`,
        retryAfterMs: tenant.waitMs,
      };
    }
    if (own && own.bucket.tokens < 1) {
      return { message: `API key ${key.id} is over its ${keyRate} requests per second`, retryAfterMs: own.waitMs };
    }
    if (tenant) tenant.bucket.tokens -= 1;
    if (own) own.bucket.tokens -= 1;
    return undefined;
  }

  /** The bucket refilled to now: capacity one second's worth (at least one call). */
  private bucket(name: string, ratePerSecond: number, nowMs: number): { bucket: Bucket; waitMs: number } {
    const capacity = Math.max(1, ratePerSecond);
    let bucket = this.buckets.get(name);
    if (!bucket) this.buckets.set(name, (bucket = { tokens: capacity, updatedMs: nowMs }));
    bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * ratePerSecond);
    bucket.updatedMs = nowMs;
    return { bucket, waitMs: Math.max(1, Math.ceil(((1 - bucket.tokens) / ratePerSecond) * 1000)) };
  }
}

/** The quota kind of an RPC, by the scopes its rule asks for (admin and read calls have none). */
export function quotaKind(scopes: readonly Scope[]): QuotaKind | undefined {
  if (scopes.includes('serve')) return 'serve';
  if (scopes.includes('ingest')) return 'ingest';
  return undefined;
}
