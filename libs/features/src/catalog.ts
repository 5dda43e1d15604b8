import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

import { KvMirror } from '@dmp/messaging';
import type { Logger, Readiness } from '@dmp/runtime';

import { compileFeatureSet, type CompiledFeatureSet } from './compile';
import { DEFAULT_FEATURES } from './default-features';
import { featureSetDocument, parseFeatureSet, type FeatureSet } from './definitions';
import type { ReadCatalog } from './reader';
import type { BuildTarget } from './writer';

export const FEATURE_SETS_BUCKET = 'dmp_feature_sets';
export const FEATURE_BUILDS_BUCKET = 'dmp_feature_builds';

/** Which builds of a tenant's features exist: the one readers use, and one being rebuilt, if any. */
export interface BuildState {
  active: string;
  /**
   * A build being filled from the event stream, partition by partition; once a partition's share is caught up,
   * its live events are written to it as well.
   */
  building?: string;
  /** Where the build's replay starts (store time, ms); the start of the stream when absent. */
  sinceMs?: number;
}

const FIRST_BUILD: BuildState = { active: 'b1' };

/**
 * Every tenant's features: the defaults plus the tenant's own (a versioned document in NATS KV
 * `dmp_feature_sets`), compiled once per change, and which build of them is active (`dmp_feature_builds`).
 * Both are followed live, so a new definition or a finished rebuild takes effect in every replica within
 * milliseconds, without a restart.
 */
export class FeatureCatalog implements ReadCatalog {
  private readonly compiled = new Map<string, CompiledFeatureSet>();
  private readonly defaults: CompiledFeatureSet = compileFeatureSet(DEFAULT_FEATURES);

  private constructor(
    private readonly sets: {
      get(tenantId: string): FeatureSet | undefined;
      onChange?: (fn: (key: string) => void) => void;
    },
    private readonly builds: { get(tenantId: string): BuildState | undefined },
    private readonly mirrors?: { sets: KvMirror<FeatureSet>; builds: KvMirror<BuildState> }
  ) {
    sets.onChange?.((tenantId) => this.compiled.delete(tenantId));
  }

  static async start(nc: NatsConnection, log: Logger, readiness: Readiness): Promise<FeatureCatalog> {
    const [sets, builds] = await Promise.all([
      KvMirror.start<FeatureSet>(nc, FEATURE_SETS_BUCKET, {
        name: 'feature-sets',
        log,
        readiness,
        // Stored sets were validated when put; parsing again keeps a hand-edited bad one out.
        parse: (raw) => parseFeatureSet(raw, DEFAULT_FEATURES.features),
      }),
      KvMirror.start<BuildState>(nc, FEATURE_BUILDS_BUCKET, { name: 'feature-builds', log, readiness }),
    ]);
    return new FeatureCatalog({ get: (t) => sets.get(t), onChange: (fn) => sets.onChange((key) => fn(key)) }, builds, {
      sets,
      builds,
    });
  }

  /**
   * Validates a tenant's own feature set against the defaults and stores it; resolves with its canonical
   * form once this replica computes and serves it (the others follow within milliseconds).
   */
  async putTenantFeatures(tenantId: string, doc: unknown): Promise<FeatureSet> {
    const set = parseFeatureSet(doc, DEFAULT_FEATURES.features);
    const mirror = this.live().sets;
    await mirror.reached(await mirror.kv.put(tenantId, JSON.stringify(featureSetDocument(set))));
    return set;
  }

  /** Resolves once this replica follows the build states as of `revision` (e.g. one it just wrote). */
  followBuilds(revision: number): Promise<void> {
    return this.live().builds.reached(revision);
  }

  private live(): { sets: KvMirror<FeatureSet>; builds: KvMirror<BuildState> } {
    if (!this.mirrors) throw new Error('a fixed feature catalog cannot change');
    return this.mirrors;
  }

  /** A catalog that never changes: the given tenant sets (defaults for others), build b1. For tests and tools. */
  static fixed(sets: Record<string, FeatureSet> = {}, builds: Record<string, BuildState> = {}): FeatureCatalog {
    return new FeatureCatalog({ get: (t) => sets[t] }, { get: (t) => builds[t] });
  }

  featuresFor(tenantId: string): CompiledFeatureSet {
    const own = this.sets.get(tenantId);
    if (!own) return this.defaults;
    let compiled = this.compiled.get(tenantId);
    if (!compiled) {
      compiled = compileFeatureSet({ version: own.version, features: [...DEFAULT_FEATURES.features, ...own.features] });
      this.compiled.set(tenantId, compiled);
    }
    return compiled;
  }

  buildState(tenantId: string): BuildState {
    return this.builds.get(tenantId) ?? FIRST_BUILD;
  }

  activeBuild(tenantId: string): string {
    return this.buildState(tenantId).active;
  }

  /** Tenants with a build being rebuilt. */
  rebuildingTenants(): string[] {
    return (this.mirrors?.builds.keys() ?? []).filter((tenantId) => this.buildState(tenantId).building !== undefined);
  }

  /** Where events go: the active build, and a build being rebuilt. */
  writeTargets(tenantId: string): BuildTarget[] {
    const state = this.buildState(tenantId);
    const features = this.featuresFor(tenantId);
    return [state.active, ...(state.building ? [state.building] : [])].map((build) => ({ build, features }));
  }
}

/** A tenant's build state as stored, with the revision that a compare-and-set must name. */
export async function readBuildState(
  nc: NatsConnection,
  tenantId: string
): Promise<{ state: BuildState; revision: number }> {
  const kv = await new Kvm(nc).create(FEATURE_BUILDS_BUCKET, { history: 10 });
  const entry = await kv.get(tenantId);
  if (!entry || entry.operation !== 'PUT') return { state: FIRST_BUILD, revision: 0 };
  return { state: entry.json<BuildState>(), revision: entry.revision };
}

/**
 * Sets a tenant's build state if it is still at `revision` (0: never set); returns the new revision, or
 * undefined when someone else changed it first.
 */
export async function updateBuildState(
  nc: NatsConnection,
  tenantId: string,
  state: BuildState,
  revision: number
): Promise<number | undefined> {
  const kv = await new Kvm(nc).create(FEATURE_BUILDS_BUCKET, { history: 10 });
  try {
    return revision === 0
      ? await kv.create(tenantId, JSON.stringify(state))
      : await kv.update(tenantId, JSON.stringify(state), revision);
  } catch (error) {
    if (/wrong last sequence|key exists/i.test((error as Error).message)) return undefined;
    throw error;
  }
}
