import { TenantConfig } from '@dmp/messaging';
import { NotFoundError, type Logger, type Readiness } from '@dmp/runtime';

import { parseSegment, SEGMENTS_BUCKET, type Segment } from '@dmp/features';

/**
 * Segment definitions as config: NATS KV `dmp_segments`, key `<tenant>.<segment id>`, versioned and
 * compare-and-set (see TenantConfig), followed live by every replica.
 */
export class SegmentStore {
  private constructor(private readonly segments: TenantConfig<Segment>) {}

  static async start(
    nc: Parameters<typeof TenantConfig.start>[0],
    log: Logger,
    readiness: Readiness
  ): Promise<SegmentStore> {
    return new SegmentStore(
      await TenantConfig.start<Segment>(nc, SEGMENTS_BUCKET, {
        name: 'segments',
        log,
        readiness,
        parse: (raw) => parseSegment(raw),
      })
    );
  }

  forTenant(tenantId: string): readonly Segment[] {
    return this.segments.forTenant(tenantId);
  }

  /** Tenants that have at least one segment. */
  tenants(): string[] {
    return this.segments.tenants();
  }

  get(tenantId: string, segmentId: string): Segment {
    const segment = this.segments.get(tenantId, segmentId);
    if (!segment) throw new NotFoundError(`segment_id: tenant ${tenantId} has no segment "${segmentId}"`);
    return segment;
  }

  /** Stores the document as the segment's next version; resolves once this replica evaluates it. */
  async put(tenantId: string, document: unknown): Promise<Segment> {
    const draft = parseSegment(document); // refuses a bad document before anything is read
    return this.segments.change(tenantId, draft.id, 0, () => draft.document);
  }
}
