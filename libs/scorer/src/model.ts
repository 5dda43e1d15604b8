import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { InferenceSession, Tensor } from 'onnxruntime-node';
import { Counter, Histogram, type Registry } from 'prom-client';

/** What a model's sidecar JSON (written by the trainer next to the .onnx file) says about it. */
export interface ModelMetadata {
  name: string;
  version: string;
  /** sha256 of the .onnx bytes, hex. */
  sha256: string;
  inputName: string;
  outputName: string;
  /** Input columns, in order; the model takes a float32 [N, featureNames.length] tensor. */
  featureNames: string[];
  metrics?: Record<string, number>;
  lineage?: string;
}

/** A model that cannot be served, and why. */
export class ModelLoadError extends Error {
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`model ${path} refused: ${reason}`, options);
    this.name = 'ModelLoadError';
  }
}

export interface LoadModelOptions {
  /** Threads of one inference; size it to the pod's CPU request so ORT does not fight the CFS quota. @default 1 */
  intraOpNumThreads?: number;
  /** Registry for scorer_* metrics; none when omitted. */
  metrics?: Registry;
}

/**
 * A loaded, verified and warmed ONNX model. One `score` call is one ORT run over all rows, which is where
 * batching pays: per-run overhead dominates these small models.
 */
export class Model {
  readonly width: number;

  private constructor(
    private readonly session: InferenceSession,
    readonly metadata: ModelMetadata,
    private readonly observe: (rows: number, seconds: number) => void
  ) {
    this.width = metadata.featureNames.length;
  }

  get name(): string {
    return this.metadata.name;
  }

  get version(): string {
    return this.metadata.version;
  }

  /** Scores `rows.length / width` rows laid out row after row; returns one score per row. */
  async score(rows: Float32Array): Promise<Float32Array> {
    const count = rows.length / this.width;
    if (!Number.isInteger(count) || count === 0) {
      throw new RangeError(`expected a non-empty multiple of ${this.width} values, got ${rows.length}`);
    }
    const started = process.hrtime.bigint();
    const input = new Tensor('float32', rows, [count, this.width]);
    const output = await this.session.run({ [this.metadata.inputName]: input });
    this.observe(count, Number(process.hrtime.bigint() - started) / 1e9);
    const scores = output[this.metadata.outputName];
    if (!scores || !(scores.data instanceof Float32Array) || scores.data.length !== count) {
      throw new Error(`model ${this.version} returned no float score per row`);
    }
    return scores.data;
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  /**
   * Loads `<path>` and its sidecar `<path without .onnx>.json`: checks the checksum, that the graph has the
   * declared input of the declared width and output, and that a warm-up run yields one finite score per
   * row. Any failure throws ModelLoadError with the reason; nothing half-loaded is returned.
   */
  static async load(path: string, options: LoadModelOptions = {}): Promise<Model> {
    const metadataPath = path.replace(/\.onnx$/, '') + '.json';
    let metadata: ModelMetadata;
    let bytes: Buffer;
    try {
      metadata = JSON.parse(await readFile(metadataPath, 'utf8')) as ModelMetadata;
      bytes = await readFile(path);
    } catch (error) {
      throw new ModelLoadError(path, `cannot read model or ${metadataPath}`, { cause: error });
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== metadata.sha256) {
      throw new ModelLoadError(path, `checksum mismatch: file has sha256 ${sha256}, metadata says ${metadata.sha256}`);
    }
    if (!Array.isArray(metadata.featureNames) || metadata.featureNames.length === 0) {
      throw new ModelLoadError(path, 'metadata declares no featureNames');
    }

    let session: InferenceSession;
    try {
      session = await InferenceSession.create(bytes, {
        intraOpNumThreads: options.intraOpNumThreads ?? 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
    } catch (error) {
      throw new ModelLoadError(path, 'onnxruntime cannot load it', { cause: error });
    }

    const model = new Model(session, metadata, observer(metadata, options.metrics));
    try {
      checkSignature(session, metadata);
      const warmUpRows = 8;
      const scores = await model.score(new Float32Array(warmUpRows * model.width));
      if (scores.some((s) => !Number.isFinite(s))) throw new Error('warm-up produced a non-finite score');
    } catch (error) {
      await session.release();
      throw new ModelLoadError(path, (error as Error).message, { cause: error });
    }
    return model;
  }
}

function checkSignature(session: InferenceSession, metadata: ModelMetadata): void {
  const input = session.inputMetadata.find((m) => m.name === metadata.inputName);
  if (!input) throw new Error(`graph has no input "${metadata.inputName}" (inputs: ${session.inputNames.join(', ')})`);
  if (!session.outputNames.includes(metadata.outputName)) {
    throw new Error(`graph has no output "${metadata.outputName}" (outputs: ${session.outputNames.join(', ')})`);
  }
  if (input.isTensor) {
    if (input.type !== 'float32') throw new Error(`input "${input.name}" is ${input.type}, expected float32`);
    const width = input.shape[1];
    if (typeof width === 'number' && width !== metadata.featureNames.length) {
      throw new Error(`input "${input.name}" takes ${width} features, metadata names ${metadata.featureNames.length}`);
    }
  }
}

const instruments = new WeakMap<Registry, { seconds: Histogram; rows: Counter }>();

function observer(metadata: ModelMetadata, registry?: Registry): (rows: number, seconds: number) => void {
  if (!registry) return () => undefined;
  let metrics = instruments.get(registry);
  if (!metrics) {
    metrics = {
      seconds: new Histogram({
        name: 'scorer_inference_duration_seconds',
        help: 'Duration of one ONNX run.',
        labelNames: ['model'],
        buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025],
        registers: [registry],
      }),
      rows: new Counter({
        name: 'scorer_rows_total',
        help: 'Rows scored.',
        labelNames: ['model'],
        registers: [registry],
      }),
    };
    instruments.set(registry, metrics);
  }
  const { seconds, rows } = metrics;
  return (count, duration) => {
    seconds.observe({ model: metadata.name }, duration);
    rows.inc({ model: metadata.name }, count);
  };
}
