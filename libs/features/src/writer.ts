import type { Redis } from 'ioredis';

import { APPLY_LUA } from './apply-script';
import { OpList, type CompiledFeatureSet } from './compile';
import type { FeatureEvent } from './event';
import { buildPrefix, featureKeys } from './keys';
import { packArray } from './msgpack';

export interface FeatureWriterOptions {
  /** How long an applied event's dedupe mark lives; redeliveries and replays within it change nothing. @default 86400 */
  dedupeTtlSeconds?: number;
}

/** A build of a tenant's features, and the feature set it is computed with. */
export interface BuildTarget {
  build: string;
  features: CompiledFeatureSet;
}

interface ApplyCommand {
  dmpApplyFeatures(numKeys: number, ...keysAndArgs: (string | number | Buffer)[]): Promise<number>;
}

/**
 * Applies events to Redis features exactly once: all of an event's updates to a build and its dedupe
 * mark are one Lua script, so a redelivered or replayed event changes nothing, and a crash cannot leave
 * half an event applied.
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

  /** Resolves 'applied', or 'duplicate' when the build had the event already. */
  async apply(event: FeatureEvent, target: BuildTarget): Promise<'applied' | 'duplicate'> {
    const prefix = buildPrefix(event.tenantId, target.build);
    const ops = new OpList();
    ops.key(featureKeys.seen(prefix, event.eventId));
    target.features.plan(event, prefix, ops);
    const applied = await this.redis.dmpApplyFeatures(
      ops.keys.length,
      ...ops.keys,
      this.dedupeTtlSeconds,
      packArray(ops.args)
    );
    return applied === 1 ? 'applied' : 'duplicate';
  }

  /** Deletes every key of one build of a tenant's features (a replaced or abandoned build); returns how many. */
  async dropBuild(tenantId: string, build: string): Promise<number> {
    let deleted = 0;
    // UNLINK frees memory in the background; SCAN never blocks Redis for long.
    for await (const keys of this.redis.scanStream({ match: `${buildPrefix(tenantId, build)}*`, count: 1_000 })) {
      if ((keys as string[]).length > 0) deleted += await this.redis.unlink(...(keys as string[]));
    }
    return deleted;
  }
}
