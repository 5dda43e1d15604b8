import type { Redis } from 'ioredis';

import { subjectToken } from '@dmp/messaging';
import { defineScript } from '@dmp/redis';

import { consentKey } from './consent';
import type { FeatureDefinition } from './definitions';
import type { FeatureEvent } from './event';
import { IDENTIFY_LUA } from './identity-script';
import { erasedKey, featureKeys, tenantPrefix } from './keys';
import { liveHllBuckets, ProfileMerge } from './profile-merge';
import type { BuildTarget } from './writer';

/**
 * The identity graph: which identifiers are one person. An identifier is a user id (as it is), or
 * `msisdn:`, `email:` (keyed hashes), `device:` or `anon:` and the id (@dmp/messaging identifiersOf). A
 * profile is named by its best identifier — by kind, user id first, then phone, email, device, anonymous id;
 * among equals the smallest — so a profile with a user id is always keyed by it, and Recommend or Decide
 * for a logged-in user reads it with no lookup.
 *
 * An event carrying several identifiers says they are one person: their profiles merge into the one named by
 * the best identifier of them all, in one Redis script on the graph, in the tenant's slot; then each merged
 * profile's features move into the new profile's (profile-merge.ts: summed, each kind of state its own way,
 * consent kept per purpose by the later statement). The result depends on the identifiers alone, not on the
 * order events arrive in or on which replica resolves them, and resolving an event again changes nothing. The
 * feature writer checks, in the same script that applies an event to a profile, that the profile was not merged
 * into another (its merge mark); if it was, the event is resolved again.
 *
 * Guard rail: a profile holds at most IDENTIFIER_LIMITS identifiers of each kind. A merge that would exceed one
 * is refused (counted): one shared device or a hotel Wi-Fi cookie cannot chain thousands of subscribers into one
 * profile, and two user ids never merge. The event then applies to its best identifier's profile alone.
 *
 * | key                         | type   | holds                                                            |
 * |-----------------------------|--------|------------------------------------------------------------------|
 * | fs:v2:{t}:id:<identifier>   | string | the profile the identifier was merged into (none: its own)      |
 * | fs:v2:{t}:p:<profile>       | set    | the identifiers of a profile of more than one (none: itself)     |
 * | fs:v2:{t}:tomb:<token>      | string | when the identifier (its subject token) was erased (ms)          |
 * | fs:v2:{t}:mg:<profile>      | hash   | event id → profiles it merged into this one (a day): redeliveries |
 */
export const IDENTIFIER_LIMITS = { user: 1, msisdn: 1, email: 3, device: 5, anon: 25 } as const;
export type IdentifierKind = keyof typeof IDENTIFIER_LIMITS;

export const identityKeys = {
  profileOf: (t: string, identifier: string) => `${tenantPrefix(t)}id:${identifier}`,
  members: (t: string, profile: string) => `${tenantPrefix(t)}p:${profile}`,
  mergeNotes: (t: string, profile: string) => `${tenantPrefix(t)}mg:${profile}`,
  tombstone: (t: string, identifier: string, token = subjectToken(t, identifier)) => `${tenantPrefix(t)}tomb:${token}`,
};

const KIND_PREFIXES: readonly IdentifierKind[] = ['msisdn', 'email', 'device', 'anon'];

export function identifierKind(identifier: string): IdentifierKind {
  const colon = identifier.indexOf(':');
  const prefix = colon > 0 ? identifier.slice(0, colon) : '';
  return (KIND_PREFIXES as readonly string[]).includes(prefix) ? (prefix as IdentifierKind) : 'user';
}

export type Resolution =
  { outcome: 'resolved'; profile: string; refusedLinks: number; mergedAway: string[] } | { outcome: 'erased' };

type IdentifyCommand = { dmpIdentify(numKeys: number, ...args: string[]): Promise<string[]> };

export class IdentityGraph {
  private readonly redis: Redis & IdentifyCommand;
  private readonly merge: ProfileMerge;

  constructor(redis: Redis) {
    defineScript(redis, 'dmpIdentify', IDENTIFY_LUA);
    this.redis = redis as Redis & IdentifyCommand;
    this.merge = new ProfileMerge(redis);
  }

  /**
   * Links the event's identifiers and says which profile it applies to, and which profiles it merged away
   * (they are gone: their segments must be left). `targets` are the builds a merge moves features in.
   */
  async resolve(event: FeatureEvent, targets: readonly BuildTarget[], nowMs = Date.now()): Promise<Resolution> {
    // A user id alone links nothing and is always its own profile's name; whether it was erased, the
    // writer's script checks anyway. Most events of logged-in users skip a round trip here.
    if (event.identifiers.length === 1 && identifierKind(event.identifiers[0]!) === 'user')
      return { outcome: 'resolved', profile: event.identifiers[0]!, refusedLinks: 0, mergedAway: [] };
    const reply = await this.redis.dmpIdentify(
      1,
      identityKeys.profileOf(event.tenantId, event.identifiers[0]!),
      tenantPrefix(event.tenantId),
      event.eventId,
      String(event.occurredAtMs),
      LIMITS_JSON,
      String(event.identifiers.length),
      ...event.identifiers,
      ...event.identifiers.map((identifier) => identityKeys.tombstone(event.tenantId, identifier))
    );
    if (reply[0] === 'erased') return { outcome: 'erased' };
    const profile = reply[1]!;
    const mergedAway = reply.slice(3);
    // Also on a redelivery (the graph answers with what the event merged then): the move may not have finished.
    for (const from of mergedAway) await this.merge.move(event.tenantId, from, profile, event.eventId, targets, nowMs);
    return { outcome: 'resolved', profile, refusedLinks: Number(reply[2]), mergedAway };
  }

  /** The profile an identifier belongs to: the one it was merged into, else itself. */
  profileOf(tenantId: string, identifier: string): Promise<string> {
    return profileOf(this.redis, tenantId, identifier);
  }

  /** A profile's identifiers, best first. */
  async identifiersOf(tenantId: string, profile: string): Promise<string[]> {
    const members = await this.redis.smembers(identityKeys.members(tenantId, profile));
    return members.length === 0 ? [profile] : members.sort(byRank);
  }

  /**
   * Erasure's first step: tombstones for the identifiers, and the profile out of the graph, at once; then the
   * profile's erasure mark in its own group (keys.ts). From then on no event about them that happened before
   * `atMs` applies (identify checks the tombstones, the writer the mark).
   */
  async bury(tenantId: string, profile: string, identifiers: readonly string[], atMs: number): Promise<number> {
    const t = tenantId;
    await this.redis.set(erasedKey(t, profile), String(atMs));
    const multi = this.redis.multi();
    for (const identifier of identifiers) multi.set(identityKeys.tombstone(t, identifier), String(atMs));
    multi.del(
      ...identifiers.map((identifier) => identityKeys.profileOf(t, identifier)),
      identityKeys.members(t, profile),
      identityKeys.mergeNotes(t, profile)
    );
    const replies = (await multi.exec()) ?? [];
    const [error] = replies.find(([e]) => e) ?? [];
    if (error) throw error;
    return Number(replies[replies.length - 1]?.[1] ?? 0);
  }
}

/**
 * Every key of one build that holds state of the profile: its user hash, consent, user×category hashes (of
 * `categories`, its `ucx` index), the HyperLogLog buckets of its distinct counts that can still exist, and its
 * merge marks. All in the profile's group (keys.ts).
 */
export function profileKeysIn(
  prefix: string,
  profile: string,
  features: Iterable<FeatureDefinition>,
  categories: readonly string[],
  nowMs: number
): string[] {
  const keys = [
    featureKeys.entity(prefix, 'user', profile),
    consentKey(prefix, profile),
    featureKeys.userCategories(prefix, profile),
    featureKeys.movedTo(prefix, profile),
    featureKeys.absorbed(prefix, profile),
  ];
  for (const c of categories) keys.push(featureKeys.entity(prefix, 'user_category', `${profile}|${c}`));
  for (const f of features) {
    if (f.aggregation.kind === 'item_set') keys.push(featureKeys.itemSet(prefix, f.name, 'user', profile));
    if (f.aggregation.kind !== 'distinct_count') continue;
    const ids =
      f.entity === 'user' ? [profile] : f.entity === 'user_category' ? categories.map((c) => `${profile}|${c}`) : [];
    for (const id of ids)
      for (const bucket of liveHllBuckets(f, nowMs)) keys.push(featureKeys.hll(prefix, f.name, f.entity, id, bucket));
  }
  return keys;
}

/**
 * The profile an identifier belongs to: the one it was merged into, else itself. A user id is always its own
 * profile's name (it outranks every other kind, and a profile holds one), so it costs no lookup.
 */
export async function profileOf(redis: Redis, tenantId: string, identifier: string): Promise<string> {
  if (identifierKind(identifier) === 'user') return identifier;
  return (await redis.get(identityKeys.profileOf(tenantId, identifier))) ?? identifier;
}

const LIMITS_JSON = JSON.stringify(IDENTIFIER_LIMITS);
const RANK: Record<IdentifierKind, number> = { user: 0, msisdn: 1, email: 2, device: 3, anon: 4 };

/** Best identifier first, as the graph names profiles. */
export function byRank(a: string, b: string): number {
  return RANK[identifierKind(a)] - RANK[identifierKind(b)] || (a < b ? -1 : a > b ? 1 : 0);
}
