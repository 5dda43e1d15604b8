import type { Redis } from 'ioredis';

import { subjectToken } from '@dmp/messaging';
import { InvalidArgumentError } from '@dmp/runtime';
import { defineScript } from '@dmp/redis';

import { compileCondition, type CelCondition } from './cel-condition';
import { entityGroup } from './keys';

/**
 * Audience segments: a CEL condition over a profile's features (`profile["user.roaming_starts_30d"] >= 3.0`)
 * and the segments it is in (`"roamers" in segments && !("churned" in segments)`; see `membershipsOf`),
 * kept as versioned config in NATS KV `dmp_segments` (key `<tenant>.<segment id>`). Memberships are kept in
 * Redis as profiles change: the feature store re-evaluates a subject's segments after applying each of its
 * events, and a time-bound condition is a windowed feature (`count` over `30d`).
 *
 * A tenant's memberships are spread over 256 shards (`SEGMENT_SHARDS`), a subject's in the shard of its entity
 * group (keys.ts): each segment's members are 256 sets, one per shard, so that a segment of millions is no one
 * slot's, and a subject's evaluation writes one slot. Sizes and member lists read every shard.
 *
 * | key                           | type   | holds                                                             |
 * |-------------------------------|--------|-------------------------------------------------------------------|
 * | sg:{t:s<k>}:m:<segment>       | set    | the segment's members in shard k                                  |
 * | sg:{t:s<k>}:u:<subject>       | set    | the subject's segments                                            |
 * | sg:{t:s<k>}:n:<subject token> | hash   | `next`: evaluation tickets handed out; `done`: the newest applied (a day) |
 * | sg:{t:s<k>}:x:<subject token> | string | when the subject was erased (ms): no evaluation from before writes |
 *
 * Evaluations of one subject can run at once on several replicas (its events are spread over them), and
 * the one that read older features may finish last. So each evaluation takes a ticket before it reads,
 * and sets memberships only if no later ticket has set them: the evaluation that started last, after the
 * last event was applied, is the one that stands.
 */
export const SEGMENTS_BUCKET = 'dmp_segments';

export interface Segment {
  id: string;
  version: number;
  description: string;
  condition: CelCondition;
  /**
   * Whether joins and leaves go to SEGMENT_CHANGES (for activation partners, exports): only where someone
   * reads them, since at scale they are a third of what NATS stores.
   */
  publishChanges: boolean;
  /** The document as stored. */
  document: Record<string, unknown>;
}

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function parseSegment(raw: unknown, at = 'segment'): Segment {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InvalidArgumentError(at, 'must be an object');
  const doc = raw as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!['id', 'version', 'description', 'condition', 'publishChanges'].includes(key))
      throw new InvalidArgumentError(
        `${at}.${key}`,
        'is not a segment field (id, description, condition, publishChanges)'
      );
  }
  const id = doc['id'];
  if (typeof id !== 'string' || !ID.test(id)) throw new InvalidArgumentError(`${at}.id`, `must match ${ID.source}`);
  const condition = doc['condition'];
  if (typeof condition !== 'string')
    throw new InvalidArgumentError(`${at}.condition`, 'must be a CEL expression (a string)');
  const description = doc['description'] ?? '';
  if (typeof description !== 'string' || description.length > 1_000)
    throw new InvalidArgumentError(`${at}.description`, 'must be text of at most 1000 characters');
  const version = doc['version'] ?? 0;
  if (!Number.isInteger(version) || (version as number) < 0)
    throw new InvalidArgumentError(`${at}.version`, 'must be a whole number');
  const publishChanges = doc['publishChanges'] ?? false;
  if (typeof publishChanges !== 'boolean')
    throw new InvalidArgumentError(`${at}.publishChanges`, 'must be true or false');
  return {
    id,
    version: version as number,
    description,
    publishChanges,
    condition: compileCondition(`${at}.condition`, condition, ['profile', 'segments']),
    document: doc,
  };
}

/**
 * Which of `segments` a profile is in, in their order. Segments defined on memberships (`segments`) are
 * evaluated after those that are not, in their order, and see the results before them.
 */
export function membershipsOf(segments: readonly Segment[], profile: ReadonlyMap<string, number>): boolean[] {
  const member = segments.map(() => false);
  const inSegments: string[] = [];
  for (const composite of [false, true]) {
    segments.forEach((s, i) => {
      if (s.condition.usesSegments !== composite) return;
      member[i] = s.condition.matches({ profile, context: {}, event: {}, segments: inSegments });
      if (member[i]) inSegments.push(s.id);
    });
  }
  return member;
}

export const SEGMENT_SHARDS = 256;

/** The shard of a subject's memberships. */
export function segmentShard(subject: string): number {
  return entityGroup(subject) % SEGMENT_SHARDS;
}

export const segmentKeys = {
  members: (t: string, segment: string, shard: number) => `sg:{${t}:s${shard}}:m:${segment}`,
  ofSubject: (t: string, subject: string) => `sg:{${t}:s${segmentShard(subject)}}:u:${subject}`,
  // Named by the subject token: an evaluation in flight when the subject is erased may take one after.
  tickets: (t: string, subject: string, token = subjectToken(t, subject)) =>
    `sg:{${t}:s${segmentShard(subject)}}:n:${token}`,
  erased: (t: string, subject: string, token = subjectToken(t, subject)) =>
    `sg:{${t}:s${segmentShard(subject)}}:x:${token}`,
};

const TICKET_TTL_S = 86_400;

/** The order of an evaluation among the subject's (SegmentMemberships.ticket). */
export interface Ticket {
  number: number;
  startedAtMs: number;
}

/**
 * Sets the subject's memberships to `inSegments` among `segments`, in one script; returns the changes
 * ("+id" joined, "-id" left). KEYS: the subject's tickets, its erasure mark, its set; ARGV: subject, ticket, when
 * the evaluation started (ms), the key prefix of the segments' sets of the subject's shard (in the same slot),
 * then each segment's id and 1/0. Only what changed is written. An evaluation overtaken by a later ticket changes
 * nothing, nor one that started before the subject was erased.
 */
const MEMBERSHIP_LUA = `
local ticket = tonumber(ARGV[2])
if ticket <= tonumber(redis.call('HGET', KEYS[1], 'done') or '0') then return {} end
if tonumber(ARGV[3]) <= tonumber(redis.call('GET', KEYS[2]) or '-1') then return {} end
redis.call('HSET', KEYS[1], 'done', ticket)
local current, changes = {}, {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do current[id] = true end
for i = 5, #ARGV, 2 do
  local id, member = ARGV[i], ARGV[i + 1] == '1'
  if member ~= (current[id] == true) then
    if member then
      redis.call('SADD', ARGV[4] .. id, ARGV[1])
      redis.call('SADD', KEYS[3], id)
      table.insert(changes, '+' .. id)
    else
      redis.call('SREM', ARGV[4] .. id, ARGV[1])
      redis.call('SREM', KEYS[3], id)
      table.insert(changes, '-' .. id)
    end
  end
end
return changes
`;

/**
 * Erases a subject's memberships: marks when (KEYS[1]), then leaves every segment (KEYS[2], its set; ARGV[2], the
 * prefix of its shard's segment sets) and drops its tickets (KEYS[3]). ARGV[1]: the time, ARGV[3]: the subject.
 * Returns how many segments it left.
 */
const ERASE_LUA = `
redis.call('SET', KEYS[1], ARGV[1])
local segments = redis.call('SMEMBERS', KEYS[2])
for _, id in ipairs(segments) do redis.call('SREM', ARGV[2] .. id, ARGV[3]) end
redis.call('DEL', KEYS[2], KEYS[3])
return #segments
`;

type MembershipCommand = {
  dmpSetMemberships(keyCount: number, ...args: string[]): Promise<string[]>;
  dmpEraseMemberships(keyCount: number, ...args: string[]): Promise<number>;
};

export class SegmentMemberships {
  private readonly redis: Redis & MembershipCommand;

  constructor(redis: Redis) {
    defineScript(redis, 'dmpSetMemberships', MEMBERSHIP_LUA);
    defineScript(redis, 'dmpEraseMemberships', ERASE_LUA);
    this.redis = redis as Redis & MembershipCommand;
  }

  /** A ticket for an evaluation of the subject: take it before reading the features it evaluates. */
  async ticket(tenantId: string, subject: string, token = subjectToken(tenantId, subject)): Promise<Ticket> {
    const key = segmentKeys.tickets(tenantId, subject, token);
    const startedAtMs = Date.now();
    const [number] = await Promise.all([this.redis.hincrby(key, 'next', 1), this.redis.expire(key, TICKET_TTL_S)]);
    return { number, startedAtMs };
  }

  /**
   * Records which of `segments` the subject is in, unless an evaluation with a later ticket did already;
   * the changes it made ("+id" joined, "-id" left).
   */
  async set(
    tenantId: string,
    subject: string,
    ticket: Ticket,
    segments: readonly string[],
    member: readonly boolean[],
    token = subjectToken(tenantId, subject)
  ): Promise<string[]> {
    if (segments.length === 0) return [];
    const args = [
      segmentKeys.tickets(tenantId, subject, token),
      segmentKeys.erased(tenantId, subject, token),
      segmentKeys.ofSubject(tenantId, subject),
      subject,
      String(ticket.number),
      String(ticket.startedAtMs),
      segmentKeys.members(tenantId, '', segmentShard(subject)),
    ];
    segments.forEach((id, i) => args.push(id, member[i] ? '1' : '0'));
    return this.redis.dmpSetMemberships(3, ...args);
  }

  segmentsOf(tenantId: string, subject: string): Promise<string[]> {
    return this.redis.smembers(segmentKeys.ofSubject(tenantId, subject));
  }

  /**
   * Erasure: from now on no evaluation that started before `atMs` sets the subject's memberships; it leaves every
   * segment. Returns how many it was in.
   */
  erase(tenantId: string, subject: string, atMs: number): Promise<number> {
    return this.redis.dmpEraseMemberships(
      3,
      segmentKeys.erased(tenantId, subject),
      segmentKeys.ofSubject(tenantId, subject),
      segmentKeys.tickets(tenantId, subject),
      String(atMs),
      segmentKeys.members(tenantId, '', segmentShard(subject)),
      subject
    );
  }

  /**
   * The segment's members, page by page: every shard's first page in one round trip, then the shards with more
   * (SSCAN: a member that joins or leaves meanwhile may be missed or seen twice).
   */
  async *members(tenantId: string, segment: string, pageSize: number): AsyncGenerator<string[]> {
    let open = Array.from({ length: SEGMENT_SHARDS }, (_, shard) => ({
      key: segmentKeys.members(tenantId, segment, shard),
      cursor: '0',
    }));
    while (open.length > 0) {
      const pages = await Promise.all(open.map(({ key, cursor }) => this.redis.sscan(key, cursor, 'COUNT', pageSize)));
      const members = pages.flatMap(([, page]) => page);
      for (let at = 0; at < members.length; at += pageSize) yield members.slice(at, at + pageSize);
      open = open.flatMap((shard, i) => (pages[i]![0] === '0' ? [] : [{ key: shard.key, cursor: pages[i]![0] }]));
    }
  }

  /** Members of the segment: the sum of its shards' (one round trip). */
  async size(tenantId: string, segment: string): Promise<number> {
    const sizes = await Promise.all(
      Array.from({ length: SEGMENT_SHARDS }, (_, shard) =>
        this.redis.scard(segmentKeys.members(tenantId, segment, shard))
      )
    );
    return sizes.reduce((sum, n) => sum + n, 0);
  }
}
