import { Kvm, type KV } from '@nats-io/kv';

import type { Logger } from '@dmp/runtime';

export const SEGMENT_REFRESH_BUCKET = 'dmp_segment_refresh';

/**
 * Time-bound segments ("≥ 3 roaming starts in 30 days") change as windows slide and values expire, with no
 * event to re-evaluate them. Every `periodMs`, each tenant's profiles are evaluated again (a backfill) by one
 * replica: the first to create the period's claim in NATS KV `dmp_segment_refresh` (entries live a day).
 */
export class SegmentRefresh {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  private constructor(
    private readonly claims: KV,
    private readonly deps: {
      periodMs: number;
      tenants: () => string[];
      refresh: (tenantId: string, tag: string) => Promise<number>;
      log: Logger;
    }
  ) {}

  static async start(nc: ConstructorParameters<typeof Kvm>[0], deps: SegmentRefresh['deps']): Promise<SegmentRefresh> {
    const claims = await new Kvm(nc).create(SEGMENT_REFRESH_BUCKET, { ttl: 86_400_000 });
    const refresh = new SegmentRefresh(claims, deps);
    refresh.timer = setInterval(() => {
      refresh.running = refresh.round();
    }, deps.periodMs);
    refresh.timer.unref();
    return refresh;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One period: claim each tenant's refresh; the replica that got the claim runs it. */
  private async round(): Promise<void> {
    const period = Math.floor(Date.now() / this.deps.periodMs);
    for (const tenantId of this.deps.tenants()) {
      try {
        await this.claims.create(`${tenantId}.${period}`, String(Date.now()));
      } catch {
        continue; // another replica has this period's refresh of the tenant
      }
      try {
        const profiles = await this.deps.refresh(tenantId, `refresh-${period}`);
        this.deps.log.info('segments refreshed', { tenant: tenantId, profiles });
      } catch (error) {
        this.deps.log.error('segment refresh failed', { tenant: tenantId, error });
      }
    }
  }
}
