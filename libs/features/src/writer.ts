import type { Redis } from 'ioredis';

import { scanKeys } from '@dmp/redis';

import { APPLY_LUA } from './apply-script';
import { OpList, type CompiledFeatureSet } from './compile';
import type { FeatureEvent } from './event';
import { identityKeys } from './identity';
import { buildPrefix, featureKeys } from './keys';
import { packArray } from './msgpack';

/** A build of a tenant's features, and the feature set it is computed with. */
export interface BuildTarget {
  build: string;
  features: CompiledFeatureSet;
}

/** Where an event is in the stream: its partition and its stream sequence. */
export interface StreamPosition {
  partition: number;
  seq: number;
  /**
   * The watermark a build should have for the partition, when the reader knows it: the last event it applied
   * there itself. A lower one means Redis lost acknowledged writes (see WritesLostError).
   */
  expected?: (build: string) => number | undefined;
}

/**
 * A build's watermark for a partition is below the events its reader applied there: Redis lost writes it had
 * acknowledged (a primary killed before its replica had them, then the replica promoted). The events after
 * `watermark` must be read again from the stream, in order; nothing of this event was written.
 */
export class WritesLostError extends Error {
  constructor(
    readonly build: string,
    readonly partition: number,
    readonly watermark: number
  ) {
    super(`build ${build} of partition ${partition} lost writes after stream sequence ${watermark}`);
    this.name = 'WritesLostError';
  }
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'moved' | 'erased';
const OUTCOMES: Record<number, ApplyOutcome> = { 1: 'applied', 0: 'duplicate', 2: 'moved', 3: 'erased' };

interface ApplyCommand {
  dmpApplyFeatures(numKeys: number, ...keysAndArgs: (string | number | Buffer)[]): Promise<number>;
}

/**
 * Applies events to Redis features exactly once. All of an event's updates to a build, and the watermark of its
 * partition, are one Lua script, so a crash cannot leave half an event applied. A partition delivers its events
 * to a build in order (the live consumer, and a rebuild's catch-up of the same partition), so an event at or
 * below its partition's watermark was applied: nothing is stored per event, and a redelivery is recognised
 * however late it comes.
 */
export class FeatureWriter {
  private readonly redis: Redis & ApplyCommand;

  constructor(redis: Redis) {
    // defineCommand sends EVALSHA and falls back to EVAL once if the server lost the script (restart, FLUSH).
    redis.defineCommand('dmpApplyFeatures', { lua: APPLY_LUA });
    this.redis = redis as Redis & ApplyCommand;
  }

  /**
   * Applies the event, found at `position` in the stream, to the profile it was resolved to (`event.subject`,
   * see identity.ts). Without a position (a caller that applies each event once itself: tests, benchmarks)
   * nothing is checked. Resolves 'applied'; 'duplicate' when the build had the event already; 'moved' when a
   * merge moved the event's best identifier to another profile since it was resolved (resolve again);
   * 'erased' when the subject was erased after the event happened (drop it).
   */
  async apply(event: FeatureEvent, target: BuildTarget, position?: StreamPosition): Promise<ApplyOutcome> {
    const prefix = buildPrefix(event.tenantId, target.build);
    const ops = new OpList();
    ops.key(featureKeys.watermarks(prefix));
    const best = event.identifiers[0];
    if (best !== undefined) {
      ops.key(identityKeys.profileOf(event.tenantId, best));
      ops.key(identityKeys.tombstone(event.tenantId, best));
    }
    target.features.plan(event, prefix, ops);
    const expected = position?.expected?.(target.build);
    const outcome = await this.redis.dmpApplyFeatures(
      ops.keys.length,
      ...ops.keys,
      position === undefined ? '' : String(position.partition),
      position === undefined ? '0' : String(position.seq),
      packArray(ops.args),
      best === undefined ? '' : event.subject,
      String(event.occurredAtMs),
      best ?? '',
      expected === undefined ? '' : String(expected)
    );
    if (outcome === 4) {
      const watermark = Number(
        (await this.redis.hget(featureKeys.watermarks(prefix), String(position!.partition))) ?? 0
      );
      throw new WritesLostError(target.build, position!.partition, watermark);
    }
    return OUTCOMES[outcome] ?? 'duplicate';
  }

  /** Deletes every key of one build of a tenant's features (a replaced or abandoned build); returns how many. */
  async dropBuild(tenantId: string, build: string): Promise<number> {
    let deleted = 0;
    // UNLINK frees memory in the background; SCAN never blocks Redis for long.
    // The keys share the tenant's hash tag, so one UNLINK of a page never spans slots on a Redis Cluster.
    for await (const keys of scanKeys(this.redis, `${buildPrefix(tenantId, build)}*`)) {
      if (keys.length > 0) deleted += await this.redis.unlink(...keys);
    }
    return deleted;
  }
}
