import { Counter } from 'prom-client';

import type { Redis } from 'ioredis';

import {
  buildPrefix,
  membershipsOf,
  type FeatureEvent,
  type FeatureReader,
  type Segment,
  type SegmentMemberships,
} from '@dmp/features';
import { segmentChangeSubject, subjectToken, type JetStreamPublisher } from '@dmp/messaging';
import { scanKeys } from '@dmp/redis';
import { metricsRegistry } from '@dmp/telemetry';

const changes = new Counter({
  name: 'feature_store_segment_changes_total',
  help: 'Subscribers joining or leaving segments, by change.',
  labelNames: ['change'],
  registers: [metricsRegistry],
});

const backfilled = new Counter({
  name: 'feature_store_segment_backfill_profiles_total',
  help: 'Profiles evaluated by segment backfills (after a segment was added or changed).',
  registers: [metricsRegistry],
});

/**
 * Keeps segment memberships in step with profiles: after the feature store applied an event, the profile's
 * segments are evaluated on its features as they are now (one read), the memberships set in one script,
 * and each change published to SEGMENT_CHANGES. Evaluations of one profile may run at once here and on other
 * replicas; tickets (SegmentMemberships) make the one that started last stand, and it read the features of
 * the last event applied.
 */
export class SegmentEvaluator {
  private readonly names = new WeakMap<readonly Segment[], { ids: string[]; features: string[] }>();

  constructor(
    private readonly deps: {
      segments: (tenantId: string) => readonly Segment[];
      reader: FeatureReader;
      memberships: SegmentMemberships;
      changes: Pick<JetStreamPublisher, 'publish'>;
    }
  ) {}

  /**
   * Resolves once the memberships of the event's profile reflect the event, and the profiles it merged away
   * are in no segment (rejects when Redis or NATS failed).
   */
  async evaluate(event: FeatureEvent, mergedAway: readonly string[] = []): Promise<void> {
    if (event.type === 'item' || this.deps.segments(event.tenantId).length === 0) return;
    const origin = `${event.tenantId}:${event.eventId}`;
    await Promise.all([
      this.run(event.tenantId, event.subject, origin),
      ...mergedAway.map((profile) => this.run(event.tenantId, profile, origin, { gone: true })),
    ]);
  }

  /**
   * Evaluates every profile of the tenant (the active build's user hashes, scanned in batches) after a
   * segment was added or changed (`segmentId`), or for the periodic refresh, while live events keep being evaluated
   * (tickets order the two). Resolves with the number of profiles evaluated.
   */
  async backfill(tenantId: string, redis: Redis, build: string, tag: string, segmentId?: string): Promise<number> {
    // Every group's user hashes (keys.ts), from every primary of a cluster.
    const pattern = `${buildPrefix(tenantId, build)}*}:e:u:*`;
    const seen = new Set<string>();
    const evaluate = async (subjects: string[]): Promise<void> => {
      const fresh = subjects.filter((subject) => !seen.has(subject));
      for (const subject of fresh) seen.add(subject);
      await Promise.all(fresh.map((subject) => this.run(tenantId, subject, `${tenantId}:${tag}:${subject}`)));
      backfilled.inc(fresh.length);
    };
    for await (const keys of scanKeys(redis, pattern)) {
      await evaluate(keys.map((key) => key.slice(key.indexOf('}:e:u:') + '}:e:u:'.length)));
    }
    // Members whose profile is gone altogether (every value expired) have no key left to scan: they leave too. A
    // backfill for one segment looks at its members; the periodic refresh at every segment's.
    for (const segment of this.deps.segments(tenantId)) {
      if (segmentId !== undefined && segment.id !== segmentId) continue;
      for await (const members of this.deps.memberships.members(tenantId, segment.id, 1_000)) await evaluate(members);
    }
    return seen.size;
  }

  /** The segments' ids, and the features their conditions read, worked out once per list of segments. */
  private namesOf(segments: readonly Segment[]): { ids: string[]; features: string[] } {
    let names = this.names.get(segments);
    if (!names) {
      names = {
        ids: segments.map((s) => s.id),
        features: [...new Set(segments.flatMap((s) => s.condition.profileFeatures))],
      };
      this.names.set(segments, names);
    }
    return names;
  }

  /**
   * `origin` makes the change messages' dedupe ids: the event (or backfill) that caused them. A profile
   * `gone` (merged into another) is in no segment.
   */
  private async run(tenantId: string, subject: string, origin: string, { gone = false } = {}): Promise<void> {
    const segments = this.deps.segments(tenantId);
    const { ids, features } = this.namesOf(segments);
    const token = subjectToken(tenantId, subject);
    // The reader and the memberships share one connection, so Redis takes the ticket before the read.
    const [ticket, profile] = await Promise.all([
      this.deps.memberships.ticket(tenantId, subject, token),
      gone ? undefined : this.deps.reader.profile(tenantId, subject, features),
    ]);
    const member = profile ? membershipsOf(segments, profile) : segments.map(() => false);
    const changed = await this.deps.memberships.set(tenantId, subject, ticket, ids, member, token);
    const atMs = Date.now();
    await Promise.all(
      changed.map(async (change) => {
        const segment = change.slice(1);
        const joined = change.startsWith('+');
        changes.inc({ change: joined ? 'joined' : 'left' });
        if (!segments.find((s) => s.id === segment)?.publishChanges) return;
        const body = { tenant: tenantId, segment, subject, change: joined ? 'joined' : 'left', atMs };
        await this.deps.changes.publish(
          segmentChangeSubject(tenantId, segment, subject, token),
          new TextEncoder().encode(JSON.stringify(body)),
          `${origin}:${change}`
        );
      })
    );
  }
}
