import { Kvm, type KV, type KvOptions } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

import type { Logger, Readiness } from '@dmp/runtime';

import { retryWhileUnavailable } from './streams';

/**
 * An in-memory copy of a NATS KV bucket that follows every change: config that all replicas of all
 * services must see within milliseconds, read on the request path without a round trip. Readiness
 * (`name`) turns true once the initial contents are loaded.
 */
export class KvMirror<T> {
  private readonly entries = new Map<string, { value: T; revision: number }>();
  private readonly listeners: ((key: string, value: T | undefined) => void)[] = [];
  private readonly waiters: { revision: number; resolve: () => void }[] = [];
  /** The bucket revision of the last change applied here. */
  private revision = 0;

  private constructor(
    readonly kv: KV,
    private readonly bucket: string
  ) {}

  static async start<T>(
    nc: NatsConnection,
    bucket: string,
    options: { name: string; log: Logger; readiness: Readiness; kv?: Partial<KvOptions>; parse?: (raw: unknown) => T }
  ): Promise<KvMirror<T>> {
    const { name, log, readiness } = options;
    readiness.require(name);
    const kv = await retryWhileUnavailable(`opening KV ${bucket}`, () =>
      new Kvm(nc).create(bucket, { history: 5, ...options.kv })
    );
    const mirror = new KvMirror<T>(kv, bucket);
    const initialCount = (await kv.status()).values;
    const watch = await kv.watch();
    let loaded = false;
    const markLoaded = (): void => {
      loaded = true;
      readiness.set(name, true);
      log.info(`${name} loaded`, { entries: mirror.entries.size });
    };
    if (initialCount === 0) markLoaded();
    void (async () => {
      for await (const entry of watch) {
        if (entry.operation === 'PUT') {
          try {
            const raw: unknown = entry.json();
            const value = options.parse ? options.parse(raw) : (raw as T);
            mirror.entries.set(entry.key, { value, revision: entry.revision });
            for (const listener of mirror.listeners) listener(entry.key, value);
          } catch (error) {
            // A value that does not parse is skipped, not fatal: the previous one stays in force.
            log.error(`${name}: ignoring an invalid entry`, { key: entry.key, error });
          }
        } else {
          mirror.entries.delete(entry.key);
          for (const listener of mirror.listeners) listener(entry.key, undefined);
        }
        mirror.advance(entry.revision);
        if (!loaded && entry.delta === 0) markLoaded();
      }
    })();
    return mirror;
  }

  /**
   * Resolves once this mirror has applied the bucket's change at `revision` (e.g. one this process just
   * wrote), so that what follows reads its own write; rejects after `timeoutMs`.
   */
  reached(revision: number, timeoutMs = 5_000): Promise<void> {
    if (this.revision >= revision) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`KV ${this.bucket} did not reach revision ${revision} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        revision,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  private advance(revision: number): void {
    this.revision = Math.max(this.revision, revision);
    for (const waiter of this.waiters.filter((w) => w.revision <= this.revision)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  get(key: string): T | undefined {
    return this.entries.get(key)?.value;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  values(): T[] {
    return [...this.entries.values()].map((entry) => entry.value);
  }

  /** Called for every change after it is applied (value undefined: deleted). */
  onChange(listener: (key: string, value: T | undefined) => void): void {
    this.listeners.push(listener);
  }
}
