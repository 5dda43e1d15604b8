import type { Redis } from 'ioredis';

import { scanKeys } from '@dmp/redis';

import { APPLY_LUA } from './apply-script';
import { OpList, type CompiledFeatureSet } from './compile';
import type { FeatureEvent } from './event';
import { identityKeys } from './identity';
import { buildPrefix, featureKeys } from './keys';
import { packArray } from './msgpack';

export interface FeatureWriterOptions {
  /**
   * How long a dedupe mark lives, for the writers that need one (see apply()): it must outlast a rebuild's
   * replay. @default 86400
   */
  dedupeTtlSeconds?: number;
}

/** A build of a tenant's features, and the feature set it is computed with. */
export interface BuildTarget {
  build: string;
  features: CompiledFeatureSet;
  /** A build being filled by a rebuild's replay while live events also reach it (rebuild.ts). */
  rebuilding?: boolean;
}

/** Where an event is in the stream: its partition and its stream sequence. */
export interface StreamPosition {
  partition: number;
  seq: number;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'moved' | 'erased';
const OUTCOMES: Record<number, ApplyOutcome> = { 1: 'applied', 0: 'duplicate', 2: 'moved', 3: 'erased' };

interface ApplyCommand {
  dmpApplyFeatures(numKeys: number, ...keysAndArgs: (string | number | Buffer)[]): Promise<number>;
}

/**
 * Applies events to Redis features exactly once. All of an event's updates to a build, and what records that
 * it was applied, are one Lua script, so a crash cannot leave half an event applied. What records it:
 *
 * - for an event from a partition consumer (`position` given), the partition's watermark in the build: the
 *   partition delivers its events in order, so an event at or below the watermark was applied. Nothing per
 *   event is stored, and a redelivery is recognised however late it comes.
 * - for an event from anywhere else (a rebuild's replay, a test), and for live events reaching a build that a
 *   replay also writes, a dedupe mark per event that lives `dedupeTtlSeconds`.
 */
export class FeatureWriter {
  private readonly redis: Redis & ApplyCommand;
  private readonly dedupeTtlSeconds: number;

  constructor(redis: Redis, options: FeatureWriterOptions = {}) {
    // defineCommand sends EVALSHA and falls back to EVAL once if the server lost the script (restart, FLUSH).
    redis.defineCommand('dmpApplyFeatures', { lua: APPLY_LUA });
    this.redis = redis as Redis & ApplyCommand;
    this.dedupeTtlSeconds = options.dedupeTtlSeconds ?? 86_400;
  }

  /**
   * Applies the event to the profile it was resolved to (`event.subject`, see identity.ts). Resolves
   * 'applied'; 'duplicate' when the build had the event already; 'moved' when a merge moved the event's
   * best identifier to another profile since it was resolved (resolve again); 'erased' when the subject
   * was erased after the event happened (drop it).
   */
  async apply(event: FeatureEvent, target: BuildTarget, position?: StreamPosition): Promise<ApplyOutcome> {
    const prefix = buildPrefix(event.tenantId, target.build);
    const ops = new OpList();
    ops.key(featureKeys.watermarks(prefix));
    ops.key(featureKeys.seen(prefix, event.eventId));
    const best = event.identifiers[0];
    if (best !== undefined) {
      ops.key(identityKeys.profileOf(event.tenantId, best));
      ops.key(identityKeys.tombstone(event.tenantId, best));
    }
    target.features.plan(event, prefix, ops);
    const marked = position === undefined || target.rebuilding === true;
    const outcome = await this.redis.dmpApplyFeatures(
      ops.keys.length,
      ...ops.keys,
      marked ? this.dedupeTtlSeconds : 0,
      packArray(ops.args),
      best === undefined ? '' : event.subject,
      String(event.occurredAtMs),
      best ?? '',
      position === undefined ? '' : String(position.partition),
      position === undefined ? '0' : String(position.seq)
    );
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
