import type { NatsConnection } from '@nats-io/transport-node';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import { KvMirror } from '@dmp/messaging';
import { NotFoundError, UnavailableError, type Logger, type Readiness } from '@dmp/runtime';

import { MicroBatcher } from './micro-batcher';
import { Model, ModelLoadError } from './model';
import { parseModelCard, type ModelCard } from './model-card';
import { cardKey, MODELS_BUCKET, ModelRegistry, parseRegistryKey, policyKey } from './registry';
import type { ShadowSink } from './shadow-log';
import { armOf, parseTrafficPolicy, versionsOf, type Arm, type TrafficPolicy } from './traffic-policy';

export interface LiveModelsOptions {
  nc: NatsConnection;
  log: Logger;
  readiness: Readiness;
  metrics?: Registry;
  /** ORT threads per run; size to the pod's CPU. @default 1 */
  intraOpNumThreads?: number;
  /** Models that must be warm before readiness turns SERVING; none: any one model. */
  required?: readonly string[];
  /** Where shadow versions' scores go; without a sink shadow versions are not loaded. */
  shadowSink?: ShadowSink;
  /** Most rows waiting for shadow scoring; beyond it shadow work is dropped (and counted). @default 20000 */
  maxPendingShadowRows?: number;
  /**
   * Loads each version's artifacts (card `artifacts`) with its graph, through this parser: a version whose
   * artifact is missing, damaged or does not parse is refused like a bad graph. Without it artifacts are not
   * even downloaded (the scoring service serves graphs only).
   */
  artifacts?: (name: string, bytes: Uint8Array) => unknown;
}

/** What one call is served by: its arm's version, that version's artifacts, and scoring with it. */
export interface ServedVersion {
  version: string;
  arm: Arm;
  /** The version's artifacts as the `artifacts` option parsed them, by name. */
  artifacts: ReadonlyMap<string, unknown>;
  /** Scores rows with this version (and queues them for the shadow versions, as `score` does). */
  score(input: Omit<ScoreInput, 'subject'>): Promise<Scored>;
}

const NO_ARTIFACTS: ReadonlyMap<string, unknown> = new Map();

export interface ScoreInput {
  /** Rows of `columns.length` values (columns omitted: of the champion's input schema), NaN = no value. */
  values: Float32Array;
  columns?: readonly string[];
  /** Picks the A/B arm; empty or omitted: the champion. */
  subject?: string;
  /** Carried to shadow logs (e.g. a decision id). */
  requestId?: string;
  /** Join concurrent small calls into one ORT run (the RPC path); in-process callers batch themselves. */
  coalesce?: boolean;
  /** No value is missing (no NaN): skips scanning for them, which shows on small models. */
  complete?: boolean;
}

export interface Scored {
  scores: Float32Array;
  version: string;
  arm: Arm;
}

/** What one model name serves now. */
interface Serving {
  policy: TrafficPolicy;
  models: Map<string, Model>;
}

interface NameState {
  serving?: Serving;
  /** The policy last asked for, and whether loading it failed (not retried until it changes). */
  wanted?: TrafficPolicy;
  refused?: { policy: TrafficPolicy; reason: string };
  work: Promise<void>;
}

/**
 * The registry's models, loaded and served in this process: the scoring service's engine and the
 * in-process scorer of decisioning. Follows the registry: a new policy's versions are downloaded,
 * checksum-verified, loaded, checked against their card and warmed up before the policy is swapped in,
 * all or nothing; calls already running finish on the versions they started with, which are released
 * afterwards. A version that cannot load is refused with its reason (log, metric, `status()`) and the
 * previous policy keeps serving.
 */
export class LiveModels {
  private readonly names = new Map<string, NameState>();
  private readonly loaded = new Map<string, Model>();
  private readonly batchers = new WeakMap<Model, MicroBatcher>();
  private readonly rowCounters = new WeakMap<Model, Record<Arm, { inc(n: number): void }>>();
  private readonly artifactsOf = new WeakMap<Model, ReadonlyMap<string, unknown>>();
  private pendingShadowRows = 0;
  private closed = false;
  private readonly instruments: Instruments | undefined;

  private constructor(
    private readonly registry: ModelRegistry,
    private readonly mirror: KvMirror<unknown>,
    private readonly options: LiveModelsOptions
  ) {
    this.instruments = options.metrics ? instrumentsFor(options.metrics) : undefined;
  }

  static async start(options: LiveModelsOptions): Promise<LiveModels> {
    const { nc, log, readiness } = options;
    readiness.require('models');
    const registry = await ModelRegistry.open(nc);
    const mirror = await KvMirror.start<unknown>(nc, MODELS_BUCKET, { name: 'model registry', log, readiness });
    const live = new LiveModels(registry, mirror, options);
    mirror.onChange((key) => {
      const parsed = parseRegistryKey(key);
      if (parsed?.kind === 'policy') live.follow(parsed.name);
      // A card written after the policy naming it (an out-of-order admin): retry the refused policy.
      else if (parsed?.kind === 'card') {
        const refused = live.names.get(parsed.name)?.refused;
        if (refused && versionsOf(refused.policy).includes(parsed.version!)) live.follow(parsed.name);
      }
    });
    for (const key of mirror.keys()) {
      const parsed = parseRegistryKey(key);
      if (parsed?.kind === 'policy') live.follow(parsed.name);
    }
    live.updateReadiness();
    return live;
  }

  /**
   * Scores rows with the version the subject's arm is served by, and queues the same rows for the
   * model's shadow versions. Throws NotFoundError for a model the registry does not serve, and
   * UnavailableError while its first version is still loading (or was refused).
   */
  score(name: string, input: ScoreInput): Promise<Scored> {
    let serving: Serving;
    try {
      serving = this.serving(name);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const arm = armOf(name, serving.policy, input.subject ?? '');
    const version = arm === 'challenger' ? serving.policy.challenger!.version : serving.policy.champion;
    return this.scoreWith(serving, serving.models.get(version)!, arm, input);
  }

  /** Whether the registry has a version of `name` serving here now. */
  serves(name: string): boolean {
    return this.names.get(name)?.serving !== undefined;
  }

  /**
   * Runs `work` with the version the subject's arm is served by: its artifacts and its scoring, the same
   * version throughout even if a new policy goes live meanwhile (it is held until `work` ends). Throws as
   * `score` does for a model that is not served.
   */
  async serve<T>(name: string, subject: string, work: (served: ServedVersion) => Promise<T>): Promise<T> {
    const serving = this.serving(name);
    const arm = armOf(name, serving.policy, subject);
    const version = arm === 'challenger' ? serving.policy.challenger!.version : serving.policy.champion;
    const model = serving.models.get(version)!;
    const done = model.hold();
    try {
      return await work({
        version,
        arm,
        artifacts: this.artifactsOf.get(model) ?? NO_ARTIFACTS,
        score: (input) => this.scoreWith(serving, model, arm, { ...input, subject }),
      });
    } finally {
      done();
    }
  }

  private scoreWith(serving: Serving, model: Model, arm: Arm, input: ScoreInput): Promise<Scored> {
    const version = model.version;
    // Rows without column names follow the champion's schema, whichever version scores them.
    const columns = input.columns ?? serving.models.get(serving.policy.champion)!.layout.columnNames;
    const rows = model.layout.arrange(input.values, columns, input.complete);
    let scoring: Promise<Float32Array>;
    if (input.coalesce) {
      const done = model.hold();
      scoring = this.batcherOf(model).score(rows).finally(done);
    } else {
      scoring = model.score(rows);
    }
    return scoring.then((scores) => {
      this.rowsCounter(model, arm)?.inc(scores.length);
      if (serving.policy.shadows.length > 0 && this.options.shadowSink) {
        this.shadow(serving, { ...input, columns }, version, scores);
      }
      return { scores, version, arm };
    });
  }

  /** The champion's card: the input schema rows without column names follow. */
  card(name: string): ModelCard {
    const serving = this.serving(name);
    return serving.models.get(serving.policy.champion)!.card;
  }

  /** Resolves once `name` serves `version` as champion (tests, startup), or rejects after `timeoutMs`. */
  async waitForChampion(name: string, version: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.names.get(name)?.serving?.policy.champion !== version) {
      const refused = this.names.get(name)?.refused;
      if (refused?.policy.champion === version) throw new Error(refused.reason);
      if (Date.now() > deadline) throw new Error(`${name} does not serve ${version} after ${timeoutMs} ms`);
      await this.names.get(name)?.work;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.names.values()].map((s) => s.work));
    await Promise.all([...this.loaded.values()].map((m) => m.release()));
    this.loaded.clear();
  }

  private serving(name: string): Serving {
    const state = this.names.get(name);
    if (state?.serving) return state.serving;
    if (state?.refused) throw new UnavailableError(`model ${name} cannot serve: ${state.refused.reason}`);
    if (state) throw new UnavailableError(`model ${name} is loading`);
    throw new NotFoundError(`model_name: model "${name.slice(0, 100)}" is not in the registry`);
  }

  /** The rows counter of a version and arm, labelled once: label lookups per call cost more than a run of a small model. */
  private rowsCounter(model: Model, arm: Arm): { inc(n: number): void } | undefined {
    if (!this.instruments) return undefined;
    let counters = this.rowCounters.get(model);
    if (!counters) {
      const labels = (a: Arm) => this.instruments!.rows.labels({ model: model.name, version: model.version, arm: a });
      this.rowCounters.set(model, (counters = { champion: labels('champion'), challenger: labels('challenger') }));
    }
    return counters[arm];
  }

  private batcherOf(model: Model): MicroBatcher {
    let batcher = this.batchers.get(model);
    if (!batcher) this.batchers.set(model, (batcher = new MicroBatcher(model)));
    return batcher;
  }

  /** Loads what the registry's policy for `name` asks for; serialized per name. */
  private follow(name: string): void {
    let state = this.names.get(name);
    if (!state) this.names.set(name, (state = { work: Promise.resolve() }));
    const s = state;
    s.work = s.work
      .then(() => this.reconcile(name, s))
      .catch((error: unknown) => {
        this.options.log.error('model registry: unexpected error', { model: name, error });
      });
  }

  private async reconcile(name: string, state: NameState): Promise<void> {
    if (this.closed) return;
    const raw = this.mirror.get(policyKey(name));
    if (raw === undefined) {
      if (state.serving) this.swap(name, state, undefined);
      return;
    }
    const policy = parseTrafficPolicy(raw);
    if (state.serving && samePolicy(state.serving.policy, policy)) return;
    state.wanted = policy;
    // Without a sink, shadow scores would go nowhere: shadow versions are not even loaded.
    const needed = versionsOf(policy).filter((v) => this.options.shadowSink || !policy.shadows.includes(v));
    const models = new Map<string, Model>();
    try {
      for (const version of needed) models.set(version, await this.load(name, version));
    } catch (error) {
      const reason = error instanceof ModelLoadError ? error.message : `model ${name}: ${(error as Error).message}`;
      state.refused = { policy, reason };
      this.instruments?.refusals.inc({ model: name });
      this.options.log.error('model refused; the previous version keeps serving', {
        model: name,
        reason,
        serving: state.serving?.policy.champion ?? null,
      });
      this.retireUnused();
      return;
    }
    // Another change may have landed while loading: only the latest policy goes live.
    const latest = this.mirror.get(policyKey(name));
    if (latest === undefined || !samePolicy(parseTrafficPolicy(latest), policy)) return this.reconcile(name, state);
    delete state.refused;
    this.swap(name, state, { policy: { ...policy, shadows: policy.shadows.filter((v) => models.has(v)) }, models });
  }

  private swap(name: string, state: NameState, serving: Serving | undefined): void {
    const previous = state.serving?.policy.champion;
    if (serving) state.serving = serving;
    else delete state.serving;
    this.retireUnused();
    this.updateReadiness();
    this.instruments?.swaps.inc({ model: name });
    this.instruments?.serving.reset();
    for (const [n, s] of this.names) {
      if (!s.serving) continue;
      const p = s.serving.policy;
      this.instruments?.serving.set({ model: n, version: p.champion, role: 'champion' }, 1);
      if (p.challenger)
        this.instruments?.serving.set({ model: n, version: p.challenger.version, role: 'challenger' }, 1);
      for (const v of p.shadows) this.instruments?.serving.set({ model: n, version: v, role: 'shadow' }, 1);
    }
    this.options.log.info('model policy live', {
      model: name,
      champion: serving?.policy.champion ?? null,
      challenger: serving?.policy.challenger ?? null,
      shadows: serving?.policy.shadows ?? [],
      previous: previous ?? null,
    });
  }

  /** A version already loaded is reused; otherwise download, verify, load, warm up. */
  private async load(name: string, version: string): Promise<Model> {
    const id = `${name}@${version}`;
    const existing = this.loaded.get(id);
    if (existing) return existing;
    const raw = this.mirror.get(cardKey(name, version));
    if (raw === undefined) throw new ModelLoadError(id, 'the registry has no card for this version');
    let card: ModelCard;
    try {
      card = parseModelCard(raw);
    } catch (error) {
      throw new ModelLoadError(id, `its card is invalid: ${(error as Error).message}`);
    }
    const bytes = await this.registry.fetchBytes(card);
    const artifacts = await this.loadArtifacts(id, card);
    const model = await Model.create(card, bytes, {
      ...(this.options.intraOpNumThreads ? { intraOpNumThreads: this.options.intraOpNumThreads } : {}),
      ...(this.instruments ? { observe: this.instruments.observe } : {}),
    });
    if (artifacts.size > 0) this.artifactsOf.set(model, artifacts);
    this.loaded.set(id, model);
    this.options.log.info('model version loaded and warm', { model: name, version, sha256: card.sha256 });
    return model;
  }

  private async loadArtifacts(id: string, card: ModelCard): Promise<ReadonlyMap<string, unknown>> {
    const parse = this.options.artifacts;
    const loaded = new Map<string, unknown>();
    if (!parse) return loaded;
    for (const { name } of card.artifacts ?? []) {
      try {
        loaded.set(name, parse(name, await this.registry.fetchArtifact(card, name)));
      } catch (error) {
        throw new ModelLoadError(id, `artifact ${name}: ${(error as Error).message}`);
      }
    }
    return loaded;
  }

  /** Retires the loaded versions no policy serves; each is released when its last running call ends. */
  private retireUnused(): void {
    const used = new Set<Model>();
    for (const s of this.names.values()) for (const m of s.serving?.models.values() ?? []) used.add(m);
    for (const [id, model] of this.loaded) {
      if (!used.has(model)) {
        this.loaded.delete(id);
        model.retire();
      }
    }
  }

  private updateReadiness(): void {
    const required = this.options.required ?? [];
    const serving = (name: string): boolean => this.names.get(name)?.serving !== undefined;
    const ready = required.length > 0 ? required.every(serving) : [...this.names.keys()].some(serving);
    this.options.readiness.set('models', ready);
  }

  /** Scores the rows with the shadow versions after the caller has its answer; bounded, never blocking it. */
  private shadow(serving: Serving, input: ScoreInput, servedVersion: string, servedScores: Float32Array): void {
    const rows = servedScores.length;
    const limit = this.options.maxPendingShadowRows ?? 20_000;
    const name = serving.models.get(servedVersion)!.name;
    if (this.pendingShadowRows + rows > limit) {
      this.instruments?.shadowDropped.inc({ model: name }, rows);
      return;
    }
    this.pendingShadowRows += rows;
    const scoredAtMs = Date.now();
    const shadows = serving.policy.shadows.map((version) => serving.models.get(version)!);
    const holds = shadows.map((model) => model.hold());
    setImmediate(() => {
      void (async () => {
        try {
          for (const model of shadows) {
            const shadowScores = await model.score(model.layout.arrange(input.values, input.columns, input.complete));
            this.options.shadowSink!.write({
              modelName: name,
              servedVersion,
              shadowVersion: model.version,
              servedScores,
              shadowScores,
              subjectId: input.subject ?? '',
              requestId: input.requestId ?? '',
              scoredAtMs,
            });
          }
        } catch (error) {
          this.options.log.warn('shadow scoring failed', { model: name, error });
        } finally {
          this.pendingShadowRows -= rows;
          for (const done of holds) done();
        }
      })();
    });
  }
}

function samePolicy(a: TrafficPolicy, b: TrafficPolicy): boolean {
  return JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...b, updatedAt: '' });
}

interface Instruments {
  rows: Counter<'model' | 'version' | 'arm'>;
  refusals: Counter<'model'>;
  swaps: Counter<'model'>;
  shadowDropped: Counter<'model'>;
  serving: Gauge<'model' | 'version' | 'role'>;
  observe: (card: ModelCard) => (rows: number, seconds: number) => void;
}

const instrumentsByRegistry = new WeakMap<Registry, Instruments>();

function instrumentsFor(registry: Registry): Instruments {
  let instruments = instrumentsByRegistry.get(registry);
  if (instruments) return instruments;
  const seconds = new Histogram({
    name: 'scorer_inference_duration_seconds',
    help: 'Duration of one ONNX run (warm-up and shadow runs included).',
    labelNames: ['model', 'version'],
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1],
    registers: [registry],
  });
  instruments = {
    rows: new Counter({
      name: 'scorer_rows_total',
      help: 'Rows scored for callers, by version and A/B arm.',
      labelNames: ['model', 'version', 'arm'],
      registers: [registry],
    }),
    refusals: new Counter({
      name: 'scorer_model_refusals_total',
      help: 'Policies not swapped in because a version failed to load, verify or warm up.',
      labelNames: ['model'],
      registers: [registry],
    }),
    swaps: new Counter({
      name: 'scorer_model_swaps_total',
      help: 'Traffic policies swapped in.',
      labelNames: ['model'],
      registers: [registry],
    }),
    shadowDropped: new Counter({
      name: 'scorer_shadow_rows_dropped_total',
      help: 'Rows not shadow-scored because too many were waiting.',
      labelNames: ['model'],
      registers: [registry],
    }),
    serving: new Gauge({
      name: 'scorer_serving_version',
      help: '1 for each version served, by role (champion, challenger, shadow).',
      labelNames: ['model', 'version', 'role'],
      registers: [registry],
    }),
    observe: (card) => {
      const child = seconds.labels({ model: card.name, version: card.version });
      return (_rows, duration) => child.observe(duration);
    },
  };
  instrumentsByRegistry.set(registry, instruments);
  return instruments;
}
