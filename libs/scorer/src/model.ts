import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { InferenceSession, Tensor } from 'onnxruntime-node';

import { InputLayout } from './input-layout';
import { parseModelCard, type ModelCard } from './model-card';

/** A model version that cannot be served, and why (a checksum, a schema, the graph, a warm-up run). */
export class ModelLoadError extends Error {
  constructor(
    readonly model: string,
    readonly reason: string,
    options?: ErrorOptions
  ) {
    super(`model ${model} refused: ${reason}`, options);
    this.name = 'ModelLoadError';
  }
}

export interface ModelOptions {
  /** Threads of one inference; size it to the pod's CPU request so ORT does not fight the CFS quota. @default 1 */
  intraOpNumThreads?: number;
  /** Makes the function called after every run of this version with its rows and duration (metrics). */
  observe?: (card: ModelCard) => (rows: number, seconds: number) => void;
}

/** Rows of the warm-up run: enough to exercise the batched path. */
const WARM_UP_ROWS = 8;

/**
 * One loaded, verified and warmed ONNX model version. One `score` call is one ORT run over all rows,
 * which is where batching pays: per-run overhead dominates these small models. The run itself blocks
 * the event loop (onnxruntime-node runs on the calling thread); nothing around it does.
 */
export class Model {
  readonly layout: InputLayout;
  /** Calls running on this version; a retired version is released when the last one ends. */
  private inFlight = 0;
  private retired = false;
  private released: Promise<void> | undefined;

  private constructor(
    private readonly session: InferenceSession,
    readonly card: ModelCard,
    private readonly observe: ((rows: number, seconds: number) => void) | undefined
  ) {
    this.layout = new InputLayout(card.input.features);
  }

  get name(): string {
    return this.card.name;
  }

  get version(): string {
    return this.card.version;
  }

  get width(): number {
    return this.layout.width;
  }

  /** Scores rows of `width` values laid out one after another (the model's own columns, no NaN). */
  score(rows: Float32Array): Promise<Float32Array> {
    const count = rows.length / this.width;
    if (!Number.isInteger(count) || count === 0) {
      return Promise.reject(
        new RangeError(`expected a non-empty multiple of ${this.width} values, got ${rows.length}`)
      );
    }
    // Promise chaining rather than async/await: for a small model a run takes ~10 µs and every extra
    // await layer shows in the in-process ratio of `pnpm bench scoring`.
    this.inFlight++;
    const started = performance.now();
    let run: Promise<InferenceSession.ReturnType>;
    try {
      run = this.session.run({ [this.card.input.name]: new Tensor('float32', rows, [count, this.width]) });
    } catch (error) {
      this.leave();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return run.then(
      (output) => {
        this.leave();
        this.observe?.(count, (performance.now() - started) / 1000);
        const scores = output[this.card.output.name];
        if (!scores || !(scores.data instanceof Float32Array) || scores.data.length !== count) {
          throw new Error(`model ${this.version} returned no float score per row`);
        }
        return scores.data;
      },
      (error: unknown) => {
        this.leave();
        throw error;
      }
    );
  }

  private leave(): void {
    this.inFlight--;
    if (this.retired && this.inFlight === 0) void this.release();
  }

  /**
   * Keeps the session open until the returned function is called: for work that will reach `score`
   * later (a call waiting for its micro-batch, a shadow run), so a swap cannot release it in between.
   */
  hold(): () => void {
    this.inFlight++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.leave();
    };
  }

  /** No new calls will come: release the session once the calls running on it have finished. */
  retire(): void {
    this.retired = true;
    if (this.inFlight === 0) void this.release();
  }

  release(): Promise<void> {
    this.released ??= this.session.release();
    return this.released;
  }

  /**
   * Makes a model version servable, or refuses it with the reason: the bytes must hash to the card's
   * sha256, the graph must take the card's input (float32, [N, features]) and nothing else, have its
   * output, and a warm-up run on the card's defaults must give one finite score per row (in [0, 1] for a
   * probability). Nothing half-loaded is returned.
   */
  static async create(card: ModelCard, bytes: Uint8Array, options: ModelOptions = {}): Promise<Model> {
    const id = `${card.name}@${card.version}`;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== card.sha256) {
      throw new ModelLoadError(id, `checksum mismatch: the bytes have sha256 ${sha256}, the card says ${card.sha256}`);
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
      throw new ModelLoadError(id, `onnxruntime cannot load the bytes: ${firstLine(error)}`, { cause: error });
    }
    const model = new Model(session, card, options.observe?.(card));
    try {
      checkSignature(session, card);
      const warmUp = new Float32Array(WARM_UP_ROWS * model.width);
      for (let r = 0; r < WARM_UP_ROWS; r++) {
        card.input.features.forEach((f, j) => (warmUp[r * model.width + j] = f.default));
      }
      const scores = await model.score(warmUp);
      if (scores.some((s) => !Number.isFinite(s))) throw new Error('the warm-up run gave a non-finite score');
      if (card.output.semantics === 'probability' && scores.some((s) => s < 0 || s > 1)) {
        throw new Error('the output is declared a probability but the warm-up run gave a score outside [0, 1]');
      }
    } catch (error) {
      await session.release();
      throw new ModelLoadError(id, firstLine(error), { cause: error });
    }
    return model;
  }

  /** Loads `<path>.onnx` and its card `<path>.json` from disk (tests, benchmarks, `dmp models publish`). */
  static async fromFile(path: string, options: ModelOptions = {}): Promise<Model> {
    const { card, bytes } = await readModelFiles(path);
    return Model.create(card, bytes, options);
  }
}

/** Reads an .onnx file and the card beside it (same name, .json), as the trainer writes them. */
/**
 * Reads an .onnx file, the card beside it (`<model>.json`) and the artifact files the card names (each
 * checked against its sha256).
 */
export async function readModelFiles(
  path: string
): Promise<{ card: ModelCard; bytes: Buffer; artifacts: Map<string, Uint8Array> }> {
  const cardPath = path.replace(/\.onnx$/, '') + '.json';
  let raw: unknown;
  let bytes: Buffer;
  try {
    raw = JSON.parse(await readFile(cardPath, 'utf8'));
    bytes = await readFile(path);
  } catch (error) {
    throw new ModelLoadError(path, `cannot read the model or its card ${cardPath}: ${firstLine(error)}`, {
      cause: error,
    });
  }
  let card: ModelCard;
  try {
    card = parseModelCard(raw);
  } catch (error) {
    throw new ModelLoadError(path, `card ${cardPath}: ${firstLine(error)}`, { cause: error });
  }
  const artifacts = new Map<string, Uint8Array>();
  for (const artifact of card.artifacts ?? []) {
    if (!artifact.file) continue;
    const file = join(dirname(cardPath), artifact.file);
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch (error) {
      throw new ModelLoadError(path, `artifact ${artifact.name}: cannot read ${file}: ${firstLine(error)}`);
    }
    if (createHash('sha256').update(content).digest('hex') !== artifact.sha256) {
      throw new ModelLoadError(path, `artifact ${artifact.name}: ${file} does not match the card's sha256`);
    }
    artifacts.set(artifact.name, content);
  }
  return { card, bytes, artifacts };
}

function checkSignature(session: InferenceSession, card: ModelCard): void {
  const input = session.inputMetadata.find((m) => m.name === card.input.name);
  if (!input) {
    throw new Error(`the graph has no input "${card.input.name}" (its inputs: ${session.inputNames.join(', ')})`);
  }
  const undeclared = session.inputNames.filter((name) => name !== card.input.name);
  if (undeclared.length > 0) {
    throw new Error(`the graph needs inputs the card does not describe: ${undeclared.join(', ')}`);
  }
  if (!session.outputNames.includes(card.output.name)) {
    throw new Error(`the graph has no output "${card.output.name}" (its outputs: ${session.outputNames.join(', ')})`);
  }
  if (input.isTensor) {
    if (input.type !== 'float32') throw new Error(`input "${input.name}" is ${input.type}, expected float32`);
    if (input.shape.length !== 2) throw new Error(`input "${input.name}" has rank ${input.shape.length}, expected 2`);
    const width = input.shape[1];
    if (typeof width === 'number' && width !== card.input.features.length) {
      throw new Error(`input "${input.name}" takes ${width} features, the card lists ${card.input.features.length}`);
    }
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 300);
}
