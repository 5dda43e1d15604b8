export { Model, ModelLoadError, type LoadModelOptions, type ModelMetadata } from './model';
