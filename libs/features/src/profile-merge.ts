import type { Redis } from 'ioredis';

import { defineScript } from '@dmp/redis';

import type { FeatureDefinition } from './definitions';
import { ABSORB_LUA } from './identity-script';
import { consentKey } from './consent';
import { buildPrefix, entityGroup, featureKeys, groupPrefix, HLL_BUCKETS, hllBucketSeconds } from './keys';
import type { BuildTarget } from './writer';

/** One key of a merged profile: where it is, where it goes, and how it adds up there (ABSORB_LUA's kinds). */
interface MovingKey {
  from: string;
  to: string;
  kind: 'u' | 'uc' | 'cs' | 'x' | 'l' | 's';
  param: number;
}

type AbsorbCommand = { dmpAbsorb(numKeys: number, ...args: string[]): Promise<string[]> };

/** Beyond this many merges overtaking one move in a row, something is wrong: fail and retry later. */
const MAX_HOPS = 10;

/**
 * Moves a profile's features into the profile it was merged into (identity.ts decided the merge in the graph).
 * The two profiles' keys are in different groups (keys.ts), so no one script can do it; instead, per build:
 *
 * 1. fence: the merged profile gets its merge mark (`mv:`), and from then on the apply script refuses its events
 *    (they resolve again, to the new profile);
 * 2. stage: each of its keys is copied (DUMP/RESTORE) into the new profile's group, under a staging name;
 * 3. absorb: one script there adds the staged state to the new profile's (identity-script.ts ABSORB_LUA) and
 *    notes the merge as done, or only drops the staged copies if it was done before; if the new profile was
 *    itself merged on meanwhile, the copies go to where it went;
 * 4. the merged profile's keys are deleted (its merge mark stays).
 *
 * Every step can run again: the event that merged is acked only after all of them, and its redelivery repeats the
 * move (identity.ts returns the profiles it merged away then too). A key deleted in step 4 is not staged again,
 * and a merge noted as done in step 3 (for a day) is not added again.
 */
export class ProfileMerge {
  private readonly redis: Redis & AbsorbCommand;

  constructor(redis: Redis) {
    defineScript(redis, 'dmpAbsorb', ABSORB_LUA);
    this.redis = redis as Redis & AbsorbCommand;
  }

  /** Moves `from` into `to` in each build of `targets`; `mergeName` (the event's id) names this merge. */
  async move(
    tenantId: string,
    from: string,
    to: string,
    mergeName: string,
    targets: readonly BuildTarget[],
    nowMs: number
  ): Promise<void> {
    await Promise.all(targets.map((target) => this.moveIn(tenantId, from, to, mergeName, target, nowMs)));
  }

  private async moveIn(
    tenantId: string,
    from: string,
    to: string,
    mergeName: string,
    target: BuildTarget,
    nowMs: number
  ): Promise<void> {
    const prefix = buildPrefix(tenantId, target.build);
    const features = target.features.features;
    await this.redis.set(featureKeys.movedTo(prefix, from), to);
    const categories = await this.redis.smembers(featureKeys.userCategories(prefix, from));
    const plan = JSON.stringify(fieldMerges(features.values()));
    let into = to;
    for (let hop = 0; ; hop++) {
      if (hop === MAX_HOPS) throw new Error(`profile ${from}: its new profile kept moving under concurrent merges`);
      const moving = keysOf(prefix, from, into, features.values(), categories, nowMs);
      const staging = (key: string): string =>
        `${groupPrefix(prefix, entityGroup(into))}mx:${from}:${mergeName}:${key.slice(key.indexOf('}:') + 2)}`;
      const dumps = await Promise.all(
        moving.map((key) => Promise.all([this.redis.dumpBuffer(key.from), this.redis.pttl(key.from)]))
      );
      const staged = moving.filter((_, i) => dumps[i]![0] !== null);
      await Promise.all(
        staged.map((key) => {
          const [dump, ttl] = dumps[moving.indexOf(key)]!;
          return this.redis.restore(staging(key.from), Math.max(ttl, 0), dump, 'REPLACE');
        })
      );
      const reply = await this.redis.dmpAbsorb(
        2 + 2 * staged.length,
        featureKeys.movedTo(prefix, into),
        featureKeys.absorbed(prefix, into),
        ...staged.flatMap((key) => [staging(key.from), key.to]),
        `${from}|${mergeName}`,
        plan,
        ...staged.flatMap((key) => [key.kind, String(key.param)])
      );
      if (reply[0] !== 'moved') break;
      into = reply[1]!;
    }
    // All of the profile's keys are in its group: one command. Its merge mark stays.
    const all = keysOf(prefix, from, into, features.values(), categories, nowMs).map((key) => key.from);
    await this.redis.unlink(...all, featureKeys.absorbed(prefix, from));
  }
}

/** Every key of a build that can hold state of the profile `from`, with its counterpart of `to`. */
function keysOf(
  prefix: string,
  from: string,
  to: string,
  features: Iterable<FeatureDefinition>,
  categories: readonly string[],
  nowMs: number
): MovingKey[] {
  const keys: MovingKey[] = [
    { from: featureKeys.entity(prefix, 'user', from), to: featureKeys.entity(prefix, 'user', to), kind: 'u', param: 0 },
    { from: consentKey(prefix, from), to: consentKey(prefix, to), kind: 'cs', param: 0 },
    { from: featureKeys.userCategories(prefix, from), to: featureKeys.userCategories(prefix, to), kind: 'x', param: 0 },
  ];
  for (const c of categories) {
    const [a, b] = [`${from}|${c}`, `${to}|${c}`];
    keys.push({
      from: featureKeys.entity(prefix, 'user_category', a),
      to: featureKeys.entity(prefix, 'user_category', b),
      kind: 'uc',
      param: 0,
    });
  }
  for (const f of features) {
    const a = f.aggregation;
    if (a.kind === 'item_set' && f.entity === 'user') {
      const [x, y] = [
        featureKeys.itemSet(prefix, f.name, 'user', from),
        featureKeys.itemSet(prefix, f.name, 'user', to),
      ];
      keys.push({ from: x, to: y, kind: 's', param: a.max });
    }
    if (a.kind !== 'distinct_count') continue;
    const ids: [string, string][] =
      f.entity === 'user'
        ? [[from, to]]
        : f.entity === 'user_category'
          ? categories.map((c) => [`${from}|${c}`, `${to}|${c}`])
          : [];
    for (const [x, y] of ids)
      for (const bucket of liveHllBuckets(f, nowMs))
        keys.push({
          from: featureKeys.hll(prefix, f.name, f.entity, x, bucket),
          to: featureKeys.hll(prefix, f.name, f.entity, y, bucket),
          kind: 'l',
          param: 0,
        });
  }
  return keys;
}

type FieldMerge = [code: string, ...params: number[]];

/** How each user and user×category feature's hash field adds up (ABSORB_LUA's MERGE codes). */
function fieldMerges(features: Iterable<FeatureDefinition>): {
  user: Record<string, FieldMerge>;
  user_category: Record<string, FieldMerge>;
} {
  const user: Record<string, FieldMerge> = {};
  const userCategory: Record<string, FieldMerge> = {};
  for (const f of features) {
    if (f.aggregation.kind === 'cooccurrence') user[`~co:${f.name}`] = ['C', f.aggregation.recent];
    if (f.entity !== 'user' && f.entity !== 'user_category') continue;
    const how = fieldMerge(f);
    if (how) (f.entity === 'user' ? user : userCategory)[f.name] = how;
  }
  return { user, user_category: userCategory };
}

function fieldMerge(f: FeatureDefinition): FieldMerge | undefined {
  const a = f.aggregation;
  switch (a.kind) {
    case 'count':
    case 'sum':
      return a.window === 'all' ? ['T'] : ['R'];
    case 'last_seen':
      return ['S'];
    case 'last_n':
      return ['N', a.n];
    case 'decayed_count':
      return ['D', a.halfLifeSeconds, a.top];
    case 'trending':
      return undefined;
    default:
      return undefined;
  }
}

/** The buckets of a distinct count that a read can still see, and one ahead for a clock running fast. */
export function liveHllBuckets(f: FeatureDefinition, nowMs: number): number[] {
  if (f.aggregation.kind !== 'distinct_count' || f.aggregation.window === 'all') return [0];
  const current = Math.floor(nowMs / 1000 / hllBucketSeconds(f.aggregation.window));
  return Array.from({ length: HLL_BUCKETS + 2 }, (_, i) => current + 1 - i);
}
