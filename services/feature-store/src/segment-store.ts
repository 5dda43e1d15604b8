import { KvMirror } from '@dmp/messaging';
import { AbortedError, NotFoundError, type Logger, type Readiness } from '@dmp/runtime';

import { parseSegment, SEGMENTS_BUCKET, type Segment } from '@dmp/features';

/**
 * Segment definitions as config: NATS KV `dmp_segments`, key `<tenant>.<segment id>`, followed live by
 * every replica (20 revisions kept). A write is validated, given the next version, compare-and-set.
 */
export class SegmentStore {
  private readonly byTenant = new Map<string, Segment[]>();

  private constructor(private readonly mirror: KvMirror<Segment>) {
    mirror.onChange((key) => this.byTenant.delete(key.slice(0, key.indexOf('.'))));
  }

  static async start(
    nc: Parameters<typeof KvMirror.start>[0],
    log: Logger,
    readiness: Readiness
  ): Promise<SegmentStore> {
    const mirror = await KvMirror.start<Segment>(nc, SEGMENTS_BUCKET, {
      name: 'segments',
      log,
      readiness,
      kv: { history: 20 },
      parse: (raw) => parseSegment(raw),
    });
    return new SegmentStore(mirror);
  }

  forTenant(tenantId: string): readonly Segment[] {
    let list = this.byTenant.get(tenantId);
    if (!list) {
      list = this.mirror.valuesWithPrefix(`${tenantId}.`).sort((a, b) => (a.id < b.id ? -1 : 1));
      this.byTenant.set(tenantId, list);
    }
    return list;
  }

  /** Tenants that have at least one segment. */
  tenants(): string[] {
    return [...new Set(this.mirror.keys().map((key) => key.slice(0, key.indexOf('.'))))];
  }

  get(tenantId: string, segmentId: string): Segment {
    const segment = this.mirror.get(`${tenantId}.${segmentId}`);
    if (!segment) throw new NotFoundError(`segment_id: tenant ${tenantId} has no segment "${segmentId}"`);
    return segment;
  }

  /** Stores the document as the segment's next version; resolves once this replica evaluates it. */
  async put(tenantId: string, document: unknown): Promise<Segment> {
    const draft = parseSegment(document);
    const key = `${tenantId}.${draft.id}`;
    const entry = await this.mirror.kv.get(key);
    const current = entry?.operation === 'PUT' ? entry.json<Record<string, unknown>>() : undefined;
    const version = (typeof current?.['version'] === 'number' ? current['version'] : 0) + 1;
    const stored = parseSegment({ ...draft.document, version });
    let revision: number;
    try {
      const json = JSON.stringify(stored.document);
      revision = entry
        ? await this.mirror.kv.update(key, json, entry.revision)
        : await this.mirror.kv.create(key, json);
    } catch {
      throw new AbortedError(`segment ${draft.id} changed while this write was made; retry`);
    }
    await this.mirror.reached(revision);
    return stored;
  }
}
