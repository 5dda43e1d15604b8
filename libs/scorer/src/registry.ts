import { createHash } from 'node:crypto';

import { Kvm, type KV } from '@nats-io/kv';
import { Objm, type ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';

import { Model, readModelFiles, type ModelOptions } from './model';
import { parseModelCard, type ModelCard } from './model-card';
import * as policies from './traffic-policy';
import { PolicyError, type TrafficPolicy } from './traffic-policy';

/** Cards and traffic policies: `card.<name>.<version>` and `policy.<name>`. */
export const MODELS_BUCKET = 'dmp_models';
/** ONNX bytes, named by their sha256: a version published twice, or under two names, is stored once. */
export const MODEL_BYTES_BUCKET = 'dmp_model_bytes';

export const cardKey = (name: string, version: string): string => `card.${name}.${version}`;
/** The name of a tenant's own Recommend model: `dmp train` publishes it, decisioning serves it when it exists. */
export const recommendModelName = (tenantId: string): string => `recommend-${tenantId}`;
export const policyKey = (name: string): string => `policy.${name}`;

/** Parses a registry key: which model (and version) it is about. */
export function parseRegistryKey(key: string): { kind: 'card' | 'policy'; name: string; version?: string } | undefined {
  const [kind, name, version, ...rest] = key.split('.');
  if (rest.length > 0 || name === undefined) return undefined;
  if (kind === 'card' && version !== undefined) return { kind, name, version };
  if (kind === 'policy' && version === undefined) return { kind, name };
  return undefined;
}

/** A registry operation refused: an unknown model or version, a version in use, a changed byte stream. */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly kind: 'not_found' | 'conflict' | 'invalid'
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export interface ModelSummary {
  name: string;
  policy?: TrafficPolicy;
  versions: ModelCard[];
}

/**
 * The model registry: cards and traffic policies in NATS KV (watched by every replica), ONNX bytes in
 * the NATS Object Store (chunked, replicated like the rest of JetStream; no extra system to run).
 * Versions are immutable: publishing a version again with other bytes is refused.
 */
export class ModelRegistry {
  private constructor(
    readonly kv: KV,
    readonly bytes: ObjectStore
  ) {}

  static async open(nc: NatsConnection, options: { replicas?: number } = {}): Promise<ModelRegistry> {
    const replicas = options.replicas ?? 1;
    const kv = await new Kvm(nc).create(MODELS_BUCKET, { history: 5, replicas });
    const bytes = await new Objm(nc).create(MODEL_BYTES_BUCKET, { replicas });
    return new ModelRegistry(kv, bytes);
  }

  /**
   * Publishes a version after loading it as a replica would (checksum, graph against the card, warm-up),
   * so a broken model is refused here with the reason rather than by every replica later. Idempotent for
   * the same bytes; `promote` makes it the champion.
   */
  async publish(
    card: ModelCard,
    bytes: Uint8Array,
    options: {
      promote?: boolean;
      now?: Date;
      model?: ModelOptions;
      /** The bytes of the card's artifacts, by name (one already stored under its sha256 may be left out). */
      artifacts?: ReadonlyMap<string, Uint8Array>;
    } = {}
  ): Promise<ModelCard> {
    const now = options.now ?? new Date();
    const model = await Model.create(card, bytes, options.model);
    await model.release();
    const artifacts = (card.artifacts ?? []).map(({ file: _file, ...artifact }) => {
      const content = options.artifacts?.get(artifact.name);
      if (content && sha256Of(content) !== artifact.sha256) {
        throw new RegistryError(`artifact ${artifact.name} does not match its sha256 in the card`, 'invalid');
      }
      return { ...artifact, ...(content && { sizeBytes: content.length }), content };
    });
    const published: ModelCard = {
      ...card,
      ...(artifacts.length > 0 && { artifacts: artifacts.map(({ content: _content, ...a }) => a) }),
      publishedAt: now.toISOString(),
      sizeBytes: bytes.length,
    };

    const existing = await this.card(card.name, card.version);
    if (existing && existing.sha256 !== card.sha256) {
      throw new RegistryError(
        `${card.name} version ${card.version} exists with other bytes (sha256 ${existing.sha256}); versions are immutable`,
        'conflict'
      );
    }
    if (!(await this.bytes.info(card.sha256))) await this.bytes.putBlob({ name: card.sha256 }, bytes);
    for (const artifact of artifacts) {
      if (await this.bytes.info(artifact.sha256)) continue;
      if (!artifact.content) {
        throw new RegistryError(
          `artifact ${artifact.name} (${artifact.sha256}) is neither given nor stored`,
          'invalid'
        );
      }
      await this.bytes.putBlob({ name: artifact.sha256 }, artifact.content);
    }
    if (!existing) {
      try {
        await this.kv.create(cardKey(card.name, card.version), JSON.stringify(published));
      } catch (error) {
        // Lost a race with a concurrent publish of the same version: fine if it was the same bytes.
        const winner = await this.card(card.name, card.version);
        if (winner?.sha256 !== card.sha256) throw error;
      }
    }
    if (options.promote) await this.promote(card.name, card.version, now);
    return existing ?? published;
  }

  /**
   * Publishes an .onnx file with the card beside it (`<model>.json`, as the trainer writes it); `name`
   * and `version` override the card's.
   */
  async publishFile(
    path: string,
    options: { name?: string; version?: string; promote?: boolean } = {}
  ): Promise<ModelCard> {
    const { card, bytes, artifacts } = await readModelFiles(path);
    return this.publish(
      { ...card, ...(options.name && { name: options.name }), ...(options.version && { version: options.version }) },
      bytes,
      { promote: options.promote ?? false, artifacts }
    );
  }

  async card(name: string, version: string): Promise<ModelCard | undefined> {
    const entry = await this.kv.get(cardKey(name, version));
    return entry && entry.operation === 'PUT' ? parseModelCard(entry.json()) : undefined;
  }

  async policy(name: string): Promise<TrafficPolicy | undefined> {
    const entry = await this.kv.get(policyKey(name));
    return entry && entry.operation === 'PUT' ? policies.parseTrafficPolicy(entry.json()) : undefined;
  }

  /** The ONNX bytes of a version, checked against its card's sha256. */
  async fetchBytes(card: ModelCard): Promise<Uint8Array> {
    const data = await this.bytes.getBlob(card.sha256);
    if (!data)
      throw new RegistryError(`the bytes of ${card.name}@${card.version} (${card.sha256}) are missing`, 'not_found');
    return data; // Model.create checks them against the card's sha256
  }

  /** One artifact's bytes, checked against its sha256. */
  async fetchArtifact(card: ModelCard, name: string): Promise<Uint8Array> {
    const artifact = card.artifacts?.find((a) => a.name === name);
    if (!artifact) throw new RegistryError(`${card.name}@${card.version} has no artifact ${name}`, 'not_found');
    const data = await this.bytes.getBlob(artifact.sha256);
    if (!data || sha256Of(data) !== artifact.sha256) {
      throw new RegistryError(`artifact ${name} of ${card.name}@${card.version} is missing or damaged`, 'not_found');
    }
    return data;
  }

  /** Every model (or one), its policy and its versions, newest first. */
  async list(name?: string): Promise<ModelSummary[]> {
    const summaries = new Map<string, ModelSummary>();
    const summary = (n: string): ModelSummary => {
      let s = summaries.get(n);
      if (!s) summaries.set(n, (s = { name: n, versions: [] }));
      return s;
    };
    const keys: string[] = [];
    for await (const key of await this.kv.keys(name ? [cardKey(name, '*'), policyKey(name)] : undefined))
      keys.push(key);
    for (const key of keys) {
      const parsed = parseRegistryKey(key);
      if (!parsed) continue;
      if (parsed.kind === 'policy') {
        const policy = await this.policy(parsed.name);
        if (policy) summary(parsed.name).policy = policy;
      } else {
        const card = await this.card(parsed.name, parsed.version!);
        if (card) summary(parsed.name).versions.push(card);
      }
    }
    for (const s of summaries.values()) {
      s.versions.sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''));
    }
    return [...summaries.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  promote(name: string, version: string, now = new Date()): Promise<TrafficPolicy> {
    return this.updatePolicy(name, [version], (p) =>
      p ? policies.promote(p, version, now) : policies.initialPolicy(version, now)
    );
  }

  rollback(name: string, now = new Date()): Promise<TrafficPolicy> {
    return this.updatePolicy(name, [], (p) => {
      if (!p) throw new RegistryError(`model ${name} has no traffic policy`, 'not_found');
      return policies.rollback(p, now);
    });
  }

  /** Sends `share` of subjects to `version` (share 0: ends the split). */
  setChallenger(name: string, version: string | undefined, share: number, now = new Date()): Promise<TrafficPolicy> {
    return this.updatePolicy(name, version && share > 0 ? [version] : [], (p) => {
      if (!p) throw new RegistryError(`model ${name} has no champion yet; promote a version first`, 'not_found');
      return policies.setChallenger(p, version, share, now);
    });
  }

  setShadow(name: string, version: string, on: boolean, now = new Date()): Promise<TrafficPolicy> {
    return this.updatePolicy(name, on ? [version] : [], (p) => {
      if (!p) throw new RegistryError(`model ${name} has no champion yet; promote a version first`, 'not_found');
      return policies.setShadow(p, version, on, now);
    });
  }

  /** Deletes a version no traffic uses (its bytes too, unless another card shares them). */
  async remove(name: string, version: string): Promise<void> {
    const card = await this.card(name, version);
    if (!card) throw new RegistryError(`model ${name} has no version ${version}`, 'not_found');
    const policy = await this.policy(name);
    if (policy && policies.versionsOf(policy).includes(version)) {
      throw new RegistryError(
        `${name} version ${version} serves traffic (champion, challenger or shadow); promote or remove another first`,
        'conflict'
      );
    }
    if (policy?.previousChampions.includes(version)) {
      await this.updatePolicy(name, [], (p) => ({
        ...p!,
        previousChampions: p!.previousChampions.filter((v) => v !== version),
      }));
    }
    await this.kv.delete(cardKey(name, version));
    const inUse = new Set(
      (await this.list()).flatMap((s) =>
        s.versions.flatMap((c) => [c.sha256, ...(c.artifacts ?? []).map((a) => a.sha256)])
      )
    );
    for (const sha256 of new Set([card.sha256, ...(card.artifacts ?? []).map((a) => a.sha256)])) {
      if (!inUse.has(sha256)) await this.bytes.delete(sha256);
    }
  }

  /** Read, change, compare-and-set: concurrent admin commands never undo each other. */
  private async updatePolicy(
    name: string,
    mustExist: string[],
    change: (policy: TrafficPolicy | undefined) => TrafficPolicy
  ): Promise<TrafficPolicy> {
    for (const version of mustExist) {
      if (!(await this.card(name, version))) {
        throw new RegistryError(`model ${name} has no version ${version}; publish it first`, 'not_found');
      }
    }
    for (let attempt = 0; ; attempt++) {
      const entry = await this.kv.get(policyKey(name));
      const current = entry?.operation === 'PUT' ? policies.parseTrafficPolicy(entry.json()) : undefined;
      let next: TrafficPolicy;
      try {
        next = change(current);
      } catch (error) {
        if (error instanceof PolicyError) throw new RegistryError(`${name}: ${error.message}`, 'invalid');
        throw error;
      }
      try {
        if (entry) await this.kv.update(policyKey(name), JSON.stringify(next), entry.revision);
        else await this.kv.create(policyKey(name), JSON.stringify(next));
        return next;
      } catch (error) {
        if (attempt >= 10) throw error;
      }
    }
  }
}

/** sha256 of bytes, hex. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
