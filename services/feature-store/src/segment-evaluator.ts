import { Counter } from 'prom-client';

import type { FeatureEvent, FeatureReader, ReadCatalog, Segment, SegmentMemberships } from '@dmp/features';
import type { JetStreamPublisher } from '@dmp/messaging';
import { metricsRegistry } from '@dmp/telemetry';

const changes = new Counter({
  name: 'feature_store_segment_changes_total',
  help: 'Subscribers joining or leaving segments, by change.',
  labelNames: ['change'],
  registers: [metricsRegistry],
});

/**
 * Keeps segment memberships in step with profiles: after the feature store applied an event, the subject's
 * segments are evaluated on its features as they are now (one read), the memberships set in one script,
 * and each change published to SEGMENT_CHANGES. Evaluations of one subject run one after another in this
 * process, so the last one reads the features of the last event applied here.
 */
export class SegmentEvaluator {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: {
      segments: (tenantId: string) => readonly Segment[];
      reader: FeatureReader;
      catalog: ReadCatalog;
      memberships: SegmentMemberships;
      changes: Pick<JetStreamPublisher, 'publish'>;
    }
  ) {}

  /** Resolves once the subject's memberships reflect the event (rejects when Redis or NATS failed). */
  evaluate(event: FeatureEvent): Promise<void> {
    if (event.type === 'item' || this.deps.segments(event.tenantId).length === 0) return Promise.resolve();
    const key = `${event.tenantId}\u0000${event.subject}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.run(event));
    this.chains.set(key, next);
    void next
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
      })
      .catch(() => undefined);
    return next;
  }

  private async run(event: FeatureEvent): Promise<void> {
    const { tenantId, subject } = event;
    const segments = this.deps.segments(tenantId);
    const known = this.deps.catalog.featuresFor(tenantId).features;
    const names = [...new Set(segments.flatMap((s) => s.condition.profileFeatures))].filter(
      (n) => known.get(n)?.entity === 'user'
    );
    const profile = new Map<string, number | string | boolean>();
    if (names.length > 0) {
      const [row] = await this.deps.reader.read(tenantId, 'user', [subject], names);
      row!.forEach((value, i) => {
        if (value.status !== 'missing' && value.kind === 'number') profile.set(names[i]!, value.value);
      });
    }
    const bindings = { profile, context: {}, event: {} };
    const member = segments.map((s) => s.condition.matches(bindings));
    const changed = await this.deps.memberships.set(
      tenantId,
      subject,
      segments.map((s) => s.id),
      member
    );
    const atMs = Date.now();
    await Promise.all(
      changed.map((change) => {
        const segment = change.slice(1);
        const joined = change.startsWith('+');
        changes.inc({ change: joined ? 'joined' : 'left' });
        const body = { tenant: tenantId, segment, subject, change: joined ? 'joined' : 'left', atMs };
        return this.deps.changes.publish(
          `segments.v1.${tenantId}.${segment}`,
          new TextEncoder().encode(JSON.stringify(body)),
          `${tenantId}:${event.eventId}:${change}`
        );
      })
    );
  }
}
