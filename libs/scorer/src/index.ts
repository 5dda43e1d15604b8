export { InputLayout } from './input-layout';
export {
  encodeItemNeighbours,
  ItemNeighbours,
  NeighbourTableError,
  type NeighbourTableHeader,
} from './item-neighbours';
export { LiveModels, type LiveModelsOptions, type ScoreInput, type Scored, type ServedVersion } from './live-models';
export { MicroBatcher } from './micro-batcher';
export { Model, ModelLoadError, readModelFiles, type ModelOptions } from './model';
export {
  FEATURE_TYPES,
  MODEL_NAME,
  MODEL_VERSION,
  OUTPUT_SEMANTICS,
  parseModelCard,
  type InputFeature,
  type ModelArtifact,
  type ModelCard,
} from './model-card';
export {
  cardKey,
  MODEL_BYTES_BUCKET,
  ModelRegistry,
  MODELS_BUCKET,
  policyKey,
  recommendModelName,
  RegistryError,
  sha256Of,
  type ModelSummary,
} from './registry';
export {
  decodeShadowScores,
  encodeShadowScores,
  JetStreamShadowSink,
  scoreLogSubject,
  type ShadowRecord,
  type ShadowSink,
} from './shadow-log';
export { armOf, bucketOf, PolicyError, type Arm, type TrafficPolicy } from './traffic-policy';
