import type { Redis } from 'ioredis';

import { defineScript, primaryOf, scanKeys } from '@dmp/redis';

import { APPLY_LUA } from './apply-script';
import { OpList, type CompiledFeatureSet, type GroupOps } from './compile';
import type { FeatureEvent } from './event';
import { aggregateShard, buildPrefix, entityGroup, erasedKey, featureKeys, groupOfKey } from './keys';
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
   * The watermark a group of a build should have for the partition, when the reader knows it: the last event it
   * applied there itself. A lower one means Redis lost acknowledged writes (see WritesLostError).
   */
  expected?: (build: string, group: string) => number | undefined;
  /** Told of each group of a build the event is now applied to (or was before). */
  applied?: (build: string, group: string) => void;
}

/**
 * A group of a build has a watermark for a partition below the events its reader applied there: Redis lost writes
 * it had acknowledged (a primary killed before its replica had them, then the replica promoted). The events after
 * `watermark` must be read again from the stream, in order.
 */
export class WritesLostError extends Error {
  constructor(
    readonly build: string,
    readonly group: string,
    readonly partition: number,
    readonly watermark: number
  ) {
    super(`group ${group} of build ${build} lost writes of partition ${partition} after stream sequence ${watermark}`);
    this.name = 'WritesLostError';
  }
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'moved' | 'erased';
const OUTCOMES: Record<number, ApplyOutcome> = { 1: 'applied', 0: 'duplicate', 2: 'moved', 3: 'erased' };

type ScriptReply = [outcome: number, ...rest: (string | number)[]];

interface ApplyCommand {
  dmpApplyFeatures(numKeys: number, ...keysAndArgs: (string | number | Buffer)[]): Promise<ScriptReply[]>;
}

/**
 * Applies events to Redis features exactly once. An event's updates fall into key groups (keys.ts: its profile's,
 * its items', its aggregate shard's, one slot each); each group's updates and the group's watermark for the event's
 * partition are one Lua script, so a crash cannot leave half of a group's share applied. A partition delivers its
 * events to a build in order (the live consumer, and a rebuild's catch-up of the same partition), so an event at or
 * below a group's watermark was applied there: nothing is stored per event, and a redelivery is recognised however
 * late it comes, group by group.
 *
 * One call per Redis primary the event's groups are on (the script may touch several groups' slots of one primary,
 * each group still checked and written on its own): one call on a single Redis. The profile's primary goes first,
 * its group first: the script checks there that the profile was neither merged into another (resolve again) nor
 * erased, writing nothing if it was, and counts the item pairs the event makes new for co-occurrence in the items'
 * zsets this primary serves. Then the other primaries, with the pairs left to count there. A call that reaches a
 * primary no longer serving one of its slots (a resharding) fails before it writes, and is retried.
 */
export class FeatureWriter {
  private readonly redis: Redis & ApplyCommand;

  constructor(redis: Redis) {
    defineScript(redis, 'dmpApplyFeatures', APPLY_LUA);
    this.redis = redis as Redis & ApplyCommand;
  }

  /**
   * Applies the event, found at `position` in the stream, to the profile it was resolved to (`event.subject`,
   * see identity.ts). Without a position (a caller that applies each event once itself: tests, benchmarks)
   * nothing is checked. Resolves 'applied'; 'duplicate' when the build had the event already; 'moved' when a
   * merge moved the profile into another since it was resolved (resolve again); 'erased' when the profile was
   * erased after the event happened (drop it).
   */
  async apply(event: FeatureEvent, target: BuildTarget, position?: StreamPosition): Promise<ApplyOutcome> {
    const prefix = buildPrefix(event.tenantId, target.build);
    const about = event.identifiers.length > 0;
    const fence = about ? [featureKeys.movedTo(prefix, event.subject), erasedKey(event.tenantId, event.subject)] : [];
    const ops = new OpList(prefix, aggregateShard(position?.partition ?? 0), fence);
    target.features.plan(event, ops);
    let applied = false;
    /**
     * The groups (all of one primary) in one call, the first `fenced`: each group its own atomic step there. Resolves
     * what the first group said (pairs left to count elsewhere), or 'moved' / 'erased': then nothing was written.
     */
    const run = async (groups: readonly GroupOps[], fenced: boolean): Promise<(string | number)[]> => {
      const replies = await this.redis.dmpApplyFeatures(
        groups[0]!.keys.length,
        ...groups[0]!.keys,
        position === undefined ? '' : String(position.partition),
        position === undefined ? '0' : String(position.seq),
        fenced ? String(event.occurredAtMs) : '',
        String(groups.length),
        ...groups.flatMap((group, i) => {
          const expected = position?.expected?.(target.build, group.name);
          const own = [packArray(group.args), expected === undefined ? '' : String(expected)];
          return i === 0 ? own : [...own, String(group.keys.length), ...group.keys];
        })
      );
      const [outcome, ...rest] = replies[0]!;
      if (outcome === 2 || outcome === 3) return [OUTCOMES[outcome]!];
      groups.forEach((group, i) => {
        const [groupOutcome, ...more] = replies[i]!;
        if (groupOutcome === 4)
          throw new WritesLostError(target.build, group.name, position!.partition, Number(more[0]));
        if (groupOutcome === 1) applied = true;
        position?.applied?.(target.build, group.name);
      });
      return rest;
    };
    const byPrimary = (groups: Iterable<GroupOps>): Map<string, GroupOps[]> => {
      const batches = new Map<string, GroupOps[]>();
      for (const group of groups) {
        const primary = primaryOf(this.redis, group.keys[0]!);
        batches.set(primary, [...(batches.get(primary) ?? []), group]);
      }
      return batches;
    };
    // First the profile's group (its marks are checked there, and it says which item pairs are new), with every
    // group of the same primary; then the other primaries' groups, with the pairs counted there.
    const profileGroup = event.subject === '' ? undefined : ops.groups.get(String(entityGroup(event.subject)));
    const batches = byPrimary(ops.groups.values());
    if (profileGroup) {
      const primary = primaryOf(this.redis, profileGroup.keys[0]!);
      const together = [profileGroup, ...batches.get(primary)!.filter((group) => group !== profileGroup)];
      batches.delete(primary);
      const reply = await run(together, about);
      if (reply[0] === 'moved' || reply[0] === 'erased') return reply[0];
      const before = new Set(ops.groups.values());
      countPairs(reply as string[], target.features, ops);
      for (const [other, groups] of byPrimary([...ops.groups.values()].filter((group) => !before.has(group))))
        batches.set(other, [...(batches.get(other) ?? []), ...groups]);
    }
    await Promise.all([...batches.values()].map((groups) => run(groups, false)));
    return applied ? 'applied' : 'duplicate';
  }

  /** Deletes every key of one build of a tenant's features (a replaced or abandoned build); returns how many. */
  async dropBuild(tenantId: string, build: string): Promise<number> {
    let deleted = 0;
    // UNLINK frees memory in the background; SCAN never blocks Redis for long. One UNLINK per group of a page:
    // on a Redis Cluster a command's keys must share a slot.
    for await (const keys of scanKeys(this.redis, `${buildPrefix(tenantId, build)}*`)) {
      const byGroup = new Map<string, string[]>();
      for (const key of keys) byGroup.set(groupOfKey(key), [...(byGroup.get(groupOfKey(key)) ?? []), key]);
      const counts = await Promise.all([...byGroup.values()].map((group) => this.redis.unlink(...group)));
      for (const count of counts) deleted += count;
    }
    return deleted;
  }
}

/**
 * The operations that count what the profile's group left to count (feature, item, member triples: the member in
 * the item's co-occurrence zset, on another primary).
 */
function countPairs(triples: readonly string[], features: CompiledFeatureSet, ops: OpList): void {
  for (let i = 0; i + 2 < triples.length; i += 3) {
    const [feature, item, member] = [triples[i]!, triples[i + 1]!, triples[i + 2]!];
    const definition = features.features.get(feature);
    if (definition?.aggregation.kind !== 'cooccurrence') continue; // the set changed meanwhile
    const key = featureKeys.cooccurrence(ops.prefix, feature, item);
    ops.op('K', ops.key(key), member, definition.aggregation.top, String(definition.ttlSeconds));
  }
}
