import { FEATURES, type FeatureReader, type FeatureValue as StoredValue } from '@dmp/features';
import { unary, type FeatureStoreServiceHandlers, type FeatureValue } from '@dmp/grpc';
import type { TenantDirectory } from '@dmp/messaging';
import { InvalidArgumentError } from '@dmp/runtime';

export const MAX_ENTITIES = 1000;
export const MAX_FEATURES = 100;

// Entity ids: 1 to 256 visible ASCII characters, as intake accepts them.
const ID_PATTERN = /^[\x21-\x7e]{1,256}$/;

const ENTITY_KINDS = { ENTITY_TYPE_USER: 'user', ENTITY_TYPE_ITEM: 'item' } as const;

export interface FeatureStoreDeps {
  tenants: TenantDirectory;
  reader: FeatureReader;
}

export function featureStoreHandlers({ tenants, reader }: FeatureStoreDeps): FeatureStoreServiceHandlers {
  return {
    GetFeatures: unary(async (request) => {
      tenants.require(request.tenantId);
      const kind = ENTITY_KINDS[request.entityType as keyof typeof ENTITY_KINDS];
      if (!kind) throw new InvalidArgumentError('entity_type', 'must be ENTITY_TYPE_USER or ENTITY_TYPE_ITEM');
      checkList('entity_ids', request.entityIds, MAX_ENTITIES);
      request.entityIds.forEach((id, i) => {
        if (!ID_PATTERN.test(id))
          throw new InvalidArgumentError(`entity_ids[${i}]`, 'must be 1-256 visible ASCII characters');
      });
      checkList('feature_names', request.featureNames, MAX_FEATURES);
      request.featureNames.forEach((name, i) => {
        const definition = FEATURES[name];
        if (!definition)
          throw new InvalidArgumentError(`feature_names[${i}]`, `unknown feature "${name.slice(0, 100)}"`);
        if (definition.entity !== kind) {
          throw new InvalidArgumentError(
            `feature_names[${i}]`,
            `"${name}" is a ${definition.entity} feature, not a ${kind} feature`
          );
        }
      });

      const grid = await reader.read(request.tenantId, request.entityIds, request.featureNames);
      return {
        entities: grid.map((values, i) => ({ entityId: request.entityIds[i], values: values.map(toProto) })),
      };
    }),
  };
}

function checkList(field: string, values: readonly string[], max: number): void {
  if (values.length === 0) throw new InvalidArgumentError(field, 'must not be empty');
  if (values.length > max) throw new InvalidArgumentError(field, `holds ${values.length} entries; at most ${max}`);
}

function toProto(value: StoredValue): FeatureValue {
  if (value.status === 'missing') return { status: 'FEATURE_STATUS_MISSING' };
  const eventTime =
    value.eventTimeMs === undefined
      ? null
      : { seconds: String(Math.floor(value.eventTimeMs / 1000)), nanos: (value.eventTimeMs % 1000) * 1e6 };
  switch (value.kind) {
    case 'number':
      return { status: 'FEATURE_STATUS_PRESENT', numberValue: value.value, eventTime };
    case 'items':
      return { status: 'FEATURE_STATUS_PRESENT', itemListValue: { itemIds: value.value }, eventTime };
    case 'scored_items':
      return { status: 'FEATURE_STATUS_PRESENT', scoredItemListValue: { items: value.value }, eventTime };
  }
}
