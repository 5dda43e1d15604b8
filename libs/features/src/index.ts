export { featureKeys, KEY_VERSION, tenantPrefix } from './keys';
export { FEATURES, FeatureReader, type EntityKind, type FeatureValue, type ScoredItem } from './reader';
export { FeatureWriter, type FeatureEvent, type FeatureWriterOptions } from './writer';
