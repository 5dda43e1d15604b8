import { InvalidArgumentError } from '@dmp/runtime';

/**
 * A model card: what the registry knows about one version of a model besides its ONNX bytes. The trainer
 * writes it next to the .onnx file (`<model>.json`); `dmp models publish` stores it in the registry.
 */
export interface ModelCard {
  name: string;
  version: string;
  /** sha256 of the ONNX bytes, hex: the bytes' address in the object store. */
  sha256: string;
  input: {
    /** The graph input that takes a float32 [N, features.length] tensor. */
    name: string;
    /** The input's columns, in order. */
    features: InputFeature[];
  };
  output: {
    /** The graph output holding one score per row. */
    name: string;
    semantics: OutputSemantics;
    description?: string;
  };
  /** Training metrics (e.g. holdout AUC). */
  metrics?: Record<string, number>;
  /**
   * Files the version serves with besides its graph, e.g. the item-to-item tables of trained candidates
   * (item-neighbours.ts): stored by sha256 like the ONNX bytes, loaded and checked with the graph, swapped
   * in and out with it.
   */
  artifacts?: ModelArtifact[];
  /** Where the model came from: script, data, commit. */
  lineage?: string;
  /** Set by the registry on publish. */
  publishedAt?: string;
  sizeBytes?: number;
}

export interface ModelArtifact {
  /** What the version calls it, e.g. "ease" or "knn". */
  name: string;
  sha256: string;
  sizeBytes?: number;
  description?: string;
  /** In a sidecar card only: the file beside the card (publishing reads it, the registry keeps the sha256). */
  file?: string;
}

export interface InputFeature {
  name: string;
  type: FeatureType;
  /** What the model gets when a caller has no value. */
  default: number;
  description?: string;
}

export const FEATURE_TYPES = ['float', 'integer', 'boolean'] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];

/** What a score means: a probability in [0, 1], a logit, or an unbounded "higher ranks first" score. */
export const OUTPUT_SEMANTICS = ['probability', 'logit', 'score'] as const;
export type OutputSemantics = (typeof OUTPUT_SEMANTICS)[number];

/** Model names and versions become NATS KV key tokens and metric labels: a small, safe alphabet. */
export const MODEL_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const MODEL_VERSION = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const MAX_FEATURES = 4096;

/**
 * Checks an untrusted card (a sidecar file, a KV entry) field by field and returns it typed; a bad field
 * throws InvalidArgumentError naming it.
 */
export function parseModelCard(raw: unknown): ModelCard {
  const card = object(raw, 'card');
  const name = text(card['name'], 'name');
  if (!MODEL_NAME.test(name)) throw new InvalidArgumentError('name', `"${clip(name)}" must match ${MODEL_NAME.source}`);
  const version = text(card['version'], 'version');
  if (!MODEL_VERSION.test(version)) {
    throw new InvalidArgumentError('version', `"${clip(version)}" must match ${MODEL_VERSION.source}`);
  }
  const sha256 = text(card['sha256'], 'sha256');
  if (!SHA256.test(sha256)) throw new InvalidArgumentError('sha256', 'must be 64 lowercase hex digits');

  const input = object(card['input'], 'input');
  const features = input['features'];
  if (!Array.isArray(features) || features.length === 0) {
    throw new InvalidArgumentError('input.features', 'must be a non-empty list');
  }
  if (features.length > MAX_FEATURES) throw new InvalidArgumentError('input.features', `at most ${MAX_FEATURES}`);
  const seen = new Set<string>();
  const parsedFeatures = features.map((f, i): InputFeature => {
    const path = `input.features[${i}]`;
    const feature = object(f, path);
    const featureName = text(feature['name'], `${path}.name`);
    if (seen.has(featureName)) throw new InvalidArgumentError(`${path}.name`, `"${clip(featureName)}" is listed twice`);
    seen.add(featureName);
    const type = feature['type'] ?? 'float';
    if (!FEATURE_TYPES.includes(type as FeatureType)) {
      throw new InvalidArgumentError(`${path}.type`, `must be one of ${FEATURE_TYPES.join(', ')}`);
    }
    const fallback = feature['default'] ?? 0;
    if (typeof fallback !== 'number' || !Number.isFinite(fallback)) {
      throw new InvalidArgumentError(`${path}.default`, 'must be a finite number');
    }
    return {
      name: featureName,
      type: type as FeatureType,
      default: fallback,
      ...optionalText(feature['description'], `${path}.description`),
    };
  });

  const output = object(card['output'], 'output');
  const semantics = output['semantics'] ?? 'score';
  if (!OUTPUT_SEMANTICS.includes(semantics as OutputSemantics)) {
    throw new InvalidArgumentError('output.semantics', `must be one of ${OUTPUT_SEMANTICS.join(', ')}`);
  }

  const artifacts = card['artifacts'] === undefined ? undefined : parseArtifacts(card['artifacts']);

  const metrics = card['metrics'];
  if (metrics !== undefined) {
    const m = object(metrics, 'metrics');
    for (const [key, value] of Object.entries(m)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidArgumentError(`metrics.${key}`, 'must be a finite number');
      }
    }
  }
  return {
    name,
    version,
    sha256,
    input: { name: text(input['name'], 'input.name'), features: parsedFeatures },
    output: {
      name: text(output['name'], 'output.name'),
      semantics: semantics as OutputSemantics,
      ...optionalText(output['description'], 'output.description'),
    },
    ...(metrics === undefined ? {} : { metrics: metrics as Record<string, number> }),
    ...(artifacts && { artifacts }),
    ...optionalText(card['lineage'], 'lineage', 'lineage'),
    ...optionalText(card['publishedAt'], 'publishedAt', 'publishedAt'),
    ...(typeof card['sizeBytes'] === 'number' ? { sizeBytes: card['sizeBytes'] } : {}),
  };
}

const ARTIFACT_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

function parseArtifacts(raw: unknown): ModelArtifact[] {
  if (!Array.isArray(raw) || raw.length > 16)
    throw new InvalidArgumentError('artifacts', 'must be a list of at most 16');
  const names = new Set<string>();
  return raw.map((a, i): ModelArtifact => {
    const path = `artifacts[${i}]`;
    const artifact = object(a, path);
    const name = text(artifact['name'], `${path}.name`);
    if (!ARTIFACT_NAME.test(name) || names.has(name)) {
      throw new InvalidArgumentError(`${path}.name`, `must match ${ARTIFACT_NAME.source} and be unique`);
    }
    names.add(name);
    const sha256 = text(artifact['sha256'], `${path}.sha256`);
    if (!SHA256.test(sha256)) throw new InvalidArgumentError(`${path}.sha256`, 'must be 64 lowercase hex digits');
    const size = artifact['sizeBytes'];
    if (size !== undefined && (!Number.isInteger(size) || (size as number) < 0)) {
      throw new InvalidArgumentError(`${path}.sizeBytes`, 'must be a whole number');
    }
    const file = artifact['file'];
    if (file !== undefined && (typeof file !== 'string' || file.includes('..') || file.startsWith('/'))) {
      throw new InvalidArgumentError(`${path}.file`, 'must be a file name beside the card');
    }
    return {
      name,
      sha256,
      ...(size !== undefined && { sizeBytes: size as number }),
      ...optionalText(artifact['description'], `${path}.description`),
      ...(file !== undefined && { file }),
    };
  });
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(field, 'must be an object');
  }
  return value as Record<string, unknown>;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidArgumentError(field, 'must be a non-empty string');
  return value;
}

function optionalText(value: unknown, field: string, key = 'description'): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'string') throw new InvalidArgumentError(field, 'must be a string');
  return { [key]: value };
}

const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 80)}…` : s);
