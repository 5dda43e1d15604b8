import { once } from 'node:events';

import {
  DEFAULT_FEATURES,
  FeatureLookupError,
  FeatureSetError,
  MAX_NEIGHBOURS,
  timestampMs,
  type EntityKind,
  type FeatureCatalog,
  type FeatureReader,
  type FeatureValue as StoredValue,
  type IdentityGraph,
  type Segment,
  type SegmentMemberships,
  type SimilarItems,
} from '@dmp/features';
import { serverStreaming, unary, type EntityType, type FeatureStoreServiceHandlers } from '@dmp/grpc';
import type { TenantDirectory } from '@dmp/messaging';
import { InvalidArgumentError, UnavailableError } from '@dmp/runtime';

import { FeaturesReply, toTimestamp } from './features-reply';
import type { RebuildResult } from './rebuild';
import type { SegmentStore } from './segment-store';

export const MAX_ENTITIES = 1000;
export const MAX_FEATURES = 100;
export const MAX_SIMILAR_ROWS = 1000;

// Entity ids: 1 to 256 visible ASCII characters, as intake accepts them.
const ID_PATTERN = /^[\x21-\x7e]{1,256}$/;

const KINDS: Record<string, EntityKind> = {
  ENTITY_TYPE_USER: 'user',
  ENTITY_TYPE_ITEM: 'item',
  ENTITY_TYPE_USER_CATEGORY: 'user_category',
  ENTITY_TYPE_CATEGORY: 'category',
  ENTITY_TYPE_TENANT: 'tenant',
};
const TYPES = Object.fromEntries(Object.entries(KINDS).map(([type, kind]) => [kind, type])) as Record<
  EntityKind,
  EntityType
>;

export interface FeatureStoreDeps {
  tenants: TenantDirectory;
  reader: FeatureReader;
  catalog: FeatureCatalog;
  rebuild: (tenantId: string, sinceMs: number | undefined) => Promise<RebuildResult>;
  /** Replaces the similarity lists of the given items (writeSimilarItems on the store's Redis). */
  putSimilarItems: (tenantId: string, rows: SimilarItems[]) => Promise<void>;
  segments: SegmentStore;
  memberships: SegmentMemberships;
  identity: IdentityGraph;
  /** Evaluates the tenant's existing profiles for a segment just stored (in the background). */
  backfill: (tenantId: string, segment: Segment) => void;
}

export function featureStoreHandlers({
  tenants,
  reader,
  catalog,
  rebuild,
  putSimilarItems,
  segments,
  memberships,
  identity,
  backfill,
}: FeatureStoreDeps): FeatureStoreServiceHandlers {
  /** Redis read failures are the store's outage, not the caller's mistake. */
  const unavailable = (error: unknown): never => {
    throw new UnavailableError('segment memberships cannot be read; retry shortly', { cause: error });
  };
  return {
    GetFeatures: unary(async (request) => {
      tenants.require(request.tenantId);
      const kind = KINDS[String(request.entityType)];
      if (!kind) throw new InvalidArgumentError('entity_type', 'must be one of ' + Object.keys(KINDS).join(', '));
      checkList('entity_ids', request.entityIds, MAX_ENTITIES);
      request.entityIds.forEach((id, i) => {
        if (!ID_PATTERN.test(id))
          throw new InvalidArgumentError(`entity_ids[${i}]`, 'must be 1-256 visible ASCII characters');
      });
      checkList('feature_names', request.featureNames, MAX_FEATURES);
      let grid: StoredValue[][];
      try {
        grid = await reader.read(request.tenantId, kind, request.entityIds, request.featureNames);
      } catch (error) {
        if (error instanceof FeatureLookupError)
          throw new InvalidArgumentError(`feature_names[${error.index}]`, error.message);
        throw error;
      }
      return new FeaturesReply(request.entityIds, grid);
    }),

    PutFeatureSet: unary(async (request) => {
      tenants.require(request.tenantId);
      let doc: unknown;
      try {
        doc = JSON.parse(request.featureSetJson);
      } catch {
        throw new InvalidArgumentError('feature_set_json', 'is not valid JSON');
      }
      try {
        const set = await catalog.putTenantFeatures(request.tenantId, doc);
        return { version: set.version, featureNames: set.features.map((f) => f.name) };
      } catch (error) {
        if (error instanceof FeatureSetError)
          throw new InvalidArgumentError(`feature_set_json.${error.path}`, error.message.slice(error.path.length + 2));
        throw error;
      }
    }),

    RebuildFeatures: unary(async (request) => {
      tenants.require(request.tenantId);
      let sinceMs: number | undefined;
      if (request.since) {
        sinceMs = timestampMs(request.since);
        if (!(sinceMs >= 0) || sinceMs > Date.now())
          throw new InvalidArgumentError('since', 'must be a time in the past');
      }
      const result = await rebuild(request.tenantId, sinceMs);
      return {
        build: result.build,
        previousBuild: result.previousBuild,
        eventsReplayed: String(result.eventsReplayed),
        eventsAlreadyApplied: String(result.eventsAlreadyApplied),
        replayedFrom: result.replayedFromMs === undefined ? null : toTimestamp(result.replayedFromMs),
      };
    }),

    PutSimilarItems: unary(async (request) => {
      tenants.require(request.tenantId);
      checkList('items', request.items, MAX_SIMILAR_ROWS);
      const rows = request.items.map((row, i): SimilarItems => {
        if (!ID_PATTERN.test(row.itemId))
          throw new InvalidArgumentError(`items[${i}].item_id`, 'must be 1-256 visible ASCII characters');
        if (row.neighbours.length > MAX_NEIGHBOURS) {
          throw new InvalidArgumentError(
            `items[${i}].neighbours`,
            `holds ${row.neighbours.length} items; at most ${MAX_NEIGHBOURS}`
          );
        }
        row.neighbours.forEach((n, j) => {
          if (!ID_PATTERN.test(n.itemId) || n.itemId === row.itemId) {
            throw new InvalidArgumentError(
              `items[${i}].neighbours[${j}].item_id`,
              'must be 1-256 visible ASCII characters, and not the item itself'
            );
          }
          if (!Number.isFinite(n.score))
            throw new InvalidArgumentError(`items[${i}].neighbours[${j}].score`, 'must be a finite number');
        });
        return { itemId: row.itemId, neighbours: row.neighbours };
      });
      try {
        await putSimilarItems(request.tenantId, rows);
      } catch (error) {
        throw new UnavailableError('the feature store cannot write to Redis; retry shortly', { cause: error });
      }
      return { itemsWritten: rows.length };
    }),

    PutSegment: unary(async (request) => {
      tenants.require(request.tenantId);
      let document: unknown;
      try {
        document = JSON.parse(request.segmentJson);
      } catch {
        throw new InvalidArgumentError('segment_json', 'is not valid JSON');
      }
      try {
        const stored = await segments.put(request.tenantId, document);
        backfill(request.tenantId, stored);
        return { segmentJson: JSON.stringify(stored.document) };
      } catch (error) {
        if (!(error instanceof InvalidArgumentError)) throw error;
        const inner = error.field === 'segment' ? '' : error.field.slice('segment.'.length);
        throw new InvalidArgumentError(inner ? `segment_json.${inner}` : 'segment_json', error.problem);
      }
    }),

    ListSegments: unary(async (request) => {
      tenants.require(request.tenantId);
      const list = segments.forTenant(request.tenantId);
      const sizes = await Promise.all(list.map((s) => memberships.size(request.tenantId, s.id))).catch(unavailable);
      return {
        segments: list.map((s, i) => ({ segmentJson: JSON.stringify(s.document), size: String(sizes[i]) })),
      };
    }),

    SegmentSize: unary(async (request) => {
      tenants.require(request.tenantId);
      segments.get(request.tenantId, request.segmentId); // NOT_FOUND for a segment that does not exist
      return { size: String(await memberships.size(request.tenantId, request.segmentId).catch(unavailable)) };
    }),

    GetSegments: unary(async (request) => {
      tenants.require(request.tenantId);
      if (!ID_PATTERN.test(request.subjectId))
        throw new InvalidArgumentError('subject_id', 'must be 1-256 visible ASCII characters');
      // Any identifier of the profile: its segments are the profile's.
      const profile = await identity.profileOf(request.tenantId, request.subjectId).catch(unavailable);
      const ids = await memberships.segmentsOf(request.tenantId, profile).catch(unavailable);
      return { segmentIds: ids.sort() };
    }),

    ListMembers: serverStreaming(async (request, call) => {
      tenants.require(request.tenantId);
      segments.get(request.tenantId, request.segmentId); // NOT_FOUND for a segment that does not exist
      const pageSize = request.pageSize === 0 ? 1_000 : request.pageSize;
      if (pageSize > 10_000) throw new InvalidArgumentError('page_size', 'must be at most 10000');
      try {
        for await (const page of memberships.members(request.tenantId, request.segmentId, pageSize)) {
          // An export is targeting: subscribers who withdrew ads-targeting consent are not handed out.
          const consents = await Promise.all(page.map((subject) => reader.consent(request.tenantId, subject)));
          const kept = page.filter((_, i) => consents[i]!.ads_targeting !== false);
          const room = call.write({ subjectIds: kept, excludedWithoutConsent: page.length - kept.length });
          if (call.cancelled) return;
          if (!room) await once(call, 'drain');
        }
      } catch (error) {
        if (error instanceof UnavailableError) throw error;
        unavailable(error);
      }
    }),

    ListFeatures: unary(async (request) => {
      tenants.require(request.tenantId);
      const defaults = new Set(DEFAULT_FEATURES.features.map((f) => f.name));
      return Promise.resolve({
        features: [...catalog.featuresFor(request.tenantId).features.values()].map((f) => ({
          name: f.name,
          entityType: TYPES[f.entity],
          description: f.description ?? '',
          definitionJson: JSON.stringify(f),
          default: defaults.has(f.name),
        })),
      });
    }),
  };
}

function checkList(field: string, values: readonly unknown[], max: number): void {
  if (values.length === 0) throw new InvalidArgumentError(field, 'must not be empty');
  if (values.length > max) throw new InvalidArgumentError(field, `holds ${values.length} entries; at most ${max}`);
}
