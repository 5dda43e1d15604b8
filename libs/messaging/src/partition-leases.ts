import { randomUUID } from 'node:crypto';

import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

import type { Logger } from '@dmp/runtime';

import { retryWhileUnavailable } from './streams';

/** Leases on stream partitions: `<group>.<partition>` → { owner, untilMs }. */
export const PARTITION_LEASES_BUCKET = 'dmp_partition_leases';

interface Lease {
  owner: string;
  untilMs: number;
}

export interface PartitionLeasesOptions {
  /** Whose partitions: one group per consumer of a partitioned stream (`feature-store`). */
  group: string;
  partitions: number;
  /** Replicas of the service running now (ReplicaPresence): each takes its fair share, ceil(partitions / replicas). */
  replicas: () => number;
  /** Starts consuming a partition this replica now owns. */
  acquire: (partition: number) => Promise<void>;
  /** Stops consuming a partition, returning once nothing more of it is being handled here. */
  release: (partition: number) => Promise<void>;
  log: Logger;
  /** How long a lease lasts unless renewed. @default 10000 */
  leaseMs?: number;
  /** How often leases are renewed and the share checked. @default a quarter of the lease, at most 1000 */
  tickMs?: number;
  now?: () => number;
}

/**
 * Shares a stream's partitions among a service's replicas, so that each partition is consumed by one replica
 * at a time, in order. A replica owns a partition while its lease in NATS KV is unexpired; it renews its
 * leases every tick (compare-and-set on the entry's revision, so two replicas cannot both win), takes free or
 * expired ones while it holds fewer than its fair share, and gives up its highest ones while it holds more.
 * A replica that joins or leaves thus moves about partitions / replicas partitions, within a few ticks.
 *
 * A replica that cannot renew (NATS unreachable) stops consuming once half the lease has passed without a
 * renewal, well before another replica may take the lease, so that two owners never pull at once unless the
 * replicas' clocks disagree by more than half a lease. Even then handlers stay correct (each applies a
 * partition's messages in order, by watermark); they only waste work.
 */
export class PartitionLeases {
  readonly id = randomUUID();
  /** Partition → revision of our lease entry. */
  private readonly owned = new Map<number, number>();
  private lastRenewedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly leaseMs: number;
  private readonly now: () => number;

  private constructor(
    private readonly kv: KV,
    private readonly options: PartitionLeasesOptions
  ) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  static async start(nc: NatsConnection, options: PartitionLeasesOptions): Promise<PartitionLeases> {
    // Three copies where NATS is a cluster: a lease that cannot be renewed stops every partition.
    const kvm = new Kvm(nc);
    const kv = await retryWhileUnavailable(
      'opening the partition leases',
      () =>
        kvm.create(PARTITION_LEASES_BUCKET, { history: 1, replicas: 3 }).catch((error: unknown) => {
          if (error instanceof Error && /replicas|insufficient resources/i.test(error.message)) {
            return kvm.create(PARTITION_LEASES_BUCKET, { history: 1 });
          }
          throw error;
        }),
      options.log
    );
    const leases = new PartitionLeases(kv, options);
    await leases.tick();
    leases.timer = setInterval(
      () => {
        leases.ticking = leases.ticking.then(() => leases.tick());
      },
      options.tickMs ?? Math.min(1_000, leases.leaseMs / 4)
    );
    return leases;
  }

  /**
   * Whether this replica may consume the partition right now: it holds the lease, renewed less than half a lease
   * ago by its own clock. A replica whose renewals run late (a long pause, a starved event loop) must not pull:
   * another may already have taken the partition over and recreated its consumer.
   */
  holds(partition: number): boolean {
    return this.owned.has(partition) && this.now() - this.lastRenewedAt < this.leaseMs / 2;
  }

  /** The partitions this replica consumes now, ascending. */
  partitions(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  /** Stops consuming and hands every partition back at once, so the others need not wait for the leases to expire. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    await Promise.all(this.partitions().map((partition) => this.giveUp(partition, true)));
  }

  private key(partition: number): string {
    return `${this.options.group}.${partition}`;
  }

  private lease(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify({ owner: this.id, untilMs: this.now() + this.leaseMs }));
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.renew();
      const fairShare = Math.ceil(this.options.partitions / Math.max(1, this.options.replicas()));
      const extra = this.partitions().slice(fairShare);
      for (const partition of extra.reverse()) await this.giveUp(partition, true);
      if (this.owned.size < fairShare) await this.takeFree(fairShare);
    } catch (error) {
      this.options.log.warn(`${this.options.group}: partition leases could not be renewed`, {
        error: (error as Error).message,
      });
      // Fence: past half a lease without renewal, another replica may soon take them over.
      if (this.owned.size > 0 && this.now() - this.lastRenewedAt > this.leaseMs / 2) {
        for (const partition of this.partitions()) await this.giveUp(partition, false);
      }
    }
  }

  private async renew(): Promise<void> {
    for (const [partition, revision] of this.owned) {
      try {
        this.owned.set(partition, await this.kv.update(this.key(partition), this.lease(), revision));
      } catch (error) {
        if (!isWrongRevision(error)) throw error;
        // Expired and taken by another replica (we were paused, or cut off from NATS): it is theirs now.
        this.options.log.warn(`${this.options.group}: lost the lease of partition ${partition}`);
        await this.giveUp(partition, false);
      }
    }
    this.lastRenewedAt = this.now();
  }

  private async takeFree(fairShare: number): Promise<void> {
    const { partitions } = this.options;
    // Start at a random partition, so that replicas starting together do not all race for the same ones.
    const from = Math.floor(Math.random() * partitions);
    for (let i = 0; i < partitions && this.owned.size < fairShare && !this.stopped; i++) {
      const partition = (from + i) % partitions;
      if (this.owned.has(partition)) continue;
      const entry = await this.kv.get(this.key(partition));
      let revision: number;
      try {
        if (!entry || entry.operation !== 'PUT') {
          revision = await this.kv.create(this.key(partition), this.lease());
        } else {
          const lease = entry.json<Lease>();
          if (lease.untilMs >= this.now() && lease.owner !== this.id) continue;
          revision = await this.kv.update(this.key(partition), this.lease(), entry.revision);
        }
      } catch (error) {
        if (isWrongRevision(error)) continue; // another replica took it first
        throw error;
      }
      this.owned.set(partition, revision);
      try {
        await this.options.acquire(partition);
      } catch (error) {
        this.options.log.warn(`${this.options.group}: starting partition ${partition} failed`, {
          error: (error as Error).message,
        });
        await this.giveUp(partition, true);
      }
    }
  }

  /** Stops consuming the partition, then (when `handBack`) deletes our lease so another replica can take it now. */
  private async giveUp(partition: number, handBack: boolean): Promise<void> {
    const revision = this.owned.get(partition);
    if (revision === undefined) return;
    this.owned.delete(partition);
    await this.options.release(partition);
    if (handBack) {
      await this.kv.delete(this.key(partition), { previousSeq: revision }).catch(() => undefined);
    }
  }
}

function isWrongRevision(error: unknown): boolean {
  return error instanceof Error && /wrong last sequence|key exists/i.test(error.message);
}
