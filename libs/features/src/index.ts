export {
  FEATURE_BUILDS_BUCKET,
  FEATURE_SETS_BUCKET,
  FeatureCatalog,
  readBuildState,
  updateBuildState,
  type BuildState,
} from './catalog';
export { bucketOf, compileFeatureSet, entityIds, OpList, type CompiledFeatureSet } from './compile';
export { DEFAULT_FEATURES, INTERACTION_EVENTS, RECOMMEND_FEATURES } from './default-features';
export {
  ENTITY_KINDS,
  FeatureSetError,
  featureSetDocument,
  parseDuration,
  parseFeatureSet,
  WINDOWS,
  type Aggregation,
  type Condition,
  type EntityKind,
  type FeatureDefinition,
  type FeatureSet,
  type WindowName,
} from './definitions';
export { categoryOf, timestampMs, toFeatureEvent, type FeatureEvent } from './event';
export { compileCondition, TARGETING_VARIABLES, type CelCondition, type TargetingInput } from './cel-condition';
export {
  membershipsOf,
  parseSegment,
  SEGMENT_SHARDS,
  SEGMENTS_BUCKET,
  segmentKeys,
  segmentShard,
  SegmentMemberships,
  type Segment,
  type Ticket,
} from './segments';
export {
  CONSENT_EVENT,
  CONSENT_PURPOSES,
  consentKey,
  readConsent,
  readConsentStatements,
  type Consent,
  type ConsentPurpose,
  type ConsentStatement,
} from './consent';
export {
  catalogKeys,
  episodeOrder,
  ITEM_EVENT,
  NEW_ARRIVALS,
  readItemAttributes,
  type ItemAttributes,
} from './item-catalog';
export {
  AGGREGATE_SHARDS,
  aggregateShard,
  buildPrefix,
  entityGroup,
  ENTITY_GROUPS,
  erasedKey,
  featureKeys,
  groupOfKey,
  HLL_BUCKETS,
  KEY_VERSION,
  tenantPrefix,
} from './keys';
export {
  byRank,
  IDENTIFIER_LIMITS,
  identifierKind,
  IdentityGraph,
  identityKeys,
  profileKeysIn,
  type IdentifierKind,
  type Resolution,
} from './identity';
export {
  FeatureLookupError,
  FeatureReader,
  LIST_LIMIT,
  type FeatureValue,
  type ReadCatalog,
  type ScoredItem,
  type UserHistory,
} from './reader';
export {
  MAX_NEIGHBOURS,
  readSimilarItems,
  SIMILAR_ITEMS_TTL_S,
  similarItemsKey,
  writeSimilarItems,
  type SimilarItems,
} from './similar-items';
export { FeatureWriter, WritesLostError, type ApplyOutcome, type BuildTarget, type StreamPosition } from './writer';
export {
  decodeServedFeatures,
  encodeServedFeatures,
  featureLogSubject,
  ServingLog,
  type ServedVectors,
} from './serving-log';
