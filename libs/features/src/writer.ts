import type { Redis } from 'ioredis';

import { defineScript, scanKeys } from '@dmp/redis';

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
  dmpApplyFeatures(numKeys: number, ...keysAndArgs: (string | number | Buffer)[]): Promise<ScriptReply>;
}

/**
 * Applies events to Redis features exactly once. An event's updates fall into key groups (keys.ts: its profile's,
 * its items', its aggregate shard's, one slot each); each group's updates and the group's watermark for the event's
 * partition are one Lua script, so a crash cannot leave half of a group's share applied. A partition delivers its
 * events to a build in order (the live consumer, and a rebuild's catch-up of the same partition), so an event at or
 * below a group's watermark was applied there: nothing is stored per event, and a redelivery is recognised however
 * late it comes, group by group.
 *
 * The profile's group goes first: its script checks that the profile was neither merged into another (resolve
 * again) nor erased, and says which item pairs the event makes new for co-occurrence. Then every other group at
 * once, the pairs counted in their items' groups.
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
    const run = async (group: GroupOps, fenced: boolean): Promise<(string | number)[]> => {
      const expected = position?.expected?.(target.build, group.name);
      const [outcome, ...rest] = await this.redis.dmpApplyFeatures(
        group.keys.length,
        ...group.keys,
        position === undefined ? '' : String(position.partition),
        position === undefined ? '0' : String(position.seq),
        packArray(group.args),
        fenced ? String(event.occurredAtMs) : '',
        expected === undefined ? '' : String(expected)
      );
      if (outcome === 4) throw new WritesLostError(target.build, group.name, position!.partition, Number(rest[0]));
      if (outcome === 1) applied = true;
      if (outcome <= 1) position?.applied?.(target.build, group.name);
      return outcome <= 1 ? rest : [OUTCOMES[outcome]!];
    };
    // The profile's group first (always when the event is about someone: its marks are checked there).
    const first = event.subject === '' ? undefined : ops.groups.get(String(entityGroup(event.subject)));
    const groups = [...ops.groups.values()].filter((group) => group !== first);
    if (first) {
      const reply = await run(first, about);
      if (reply[0] === 'moved' || reply[0] === 'erased') return reply[0];
      countPairs(reply as string[], target.features, ops);
      for (const group of ops.groups.values()) if (group !== first && !groups.includes(group)) groups.push(group);
    }
    await Promise.all(groups.map((group) => run(group, false)));
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
 * The operations that count the pairs the profile's group found new (feature, item, partner triples): the
 * partner was followed by the item, and unless the feature is directed the item by the partner too.
 */
function countPairs(triples: readonly string[], features: CompiledFeatureSet, ops: OpList): void {
  for (let i = 0; i + 2 < triples.length; i += 3) {
    const [feature, item, partner] = [triples[i]!, triples[i + 1]!, triples[i + 2]!];
    const definition = features.features.get(feature);
    if (definition?.aggregation.kind !== 'cooccurrence') continue; // the set changed meanwhile
    const { top, directed } = definition.aggregation;
    const ttl = String(definition.ttlSeconds);
    ops.op('K', ops.key(featureKeys.cooccurrence(ops.prefix, feature, partner)), item, top, ttl);
    if (!directed) ops.op('K', ops.key(featureKeys.cooccurrence(ops.prefix, feature, item)), partner, top, ttl);
  }
}
