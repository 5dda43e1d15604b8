import type { Redis } from 'ioredis';

import { APPLY_EVENT_LUA } from './apply-event-script';
import { featureKeys, tenantPrefix } from './keys';

/** What the feature store needs of an event; a decoded dmp.events.v1.Event fits. */
export interface FeatureEvent {
  tenantId: string;
  eventId: string;
  type: string;
  /** The event's subject key (see @dmp/messaging subjectKey): the user id, or a prefixed anonymous, device or hashed id. */
  userId: string;
  itemIds: readonly string[];
  occurredAtMs: number;
}

export interface FeatureWriterOptions {
  /** How long an applied event's dedupe mark lives; redeliveries and replays within it change nothing. @default 86400 */
  dedupeTtlSeconds?: number;
  /** Length of a user's recent-items list. @default 50 */
  recentMax?: number;
  /** How many of the user's most recent items a new item is paired with. @default 20 */
  cooccurrenceWindow?: number;
  /** Most pairs kept per item. @default 300 */
  cooccurrenceCap?: number;
}

interface ApplyEventCommand {
  dmpApplyEvent(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
}

/**
 * Applies events to Redis features exactly once: each event's updates and its dedupe mark are one Lua
 * script, so a redelivered or replayed event changes nothing, and a crash cannot leave half an event applied.
 */
export class FeatureWriter {
  private readonly redis: Redis & ApplyEventCommand;
  private readonly options: Required<FeatureWriterOptions>;

  constructor(redis: Redis, options: FeatureWriterOptions = {}) {
    // defineCommand sends EVALSHA and falls back to EVAL once if the server lost the script (restart, FLUSH).
    redis.defineCommand('dmpApplyEvent', { lua: APPLY_EVENT_LUA });
    this.redis = redis as Redis & ApplyEventCommand;
    this.options = {
      dedupeTtlSeconds: options.dedupeTtlSeconds ?? 86_400,
      recentMax: options.recentMax ?? 50,
      cooccurrenceWindow: options.cooccurrenceWindow ?? 20,
      cooccurrenceCap: options.cooccurrenceCap ?? 300,
    };
  }

  /** Resolves 'applied', or 'duplicate' when the event had been applied before. */
  async apply(event: FeatureEvent): Promise<'applied' | 'duplicate'> {
    const { tenantId, userId } = event;
    const items = [...new Set(event.itemIds)];
    const keys = [
      featureKeys.applied(tenantId, event.eventId),
      featureKeys.popularity(tenantId),
      featureKeys.userRecent(tenantId, userId),
      featureKeys.userMeta(tenantId, userId),
      ...items.flatMap((item) => [
        featureKeys.itemCounts(tenantId, item),
        featureKeys.itemCooccurrence(tenantId, item),
      ]),
    ];
    const o = this.options;
    const applied = await this.redis.dmpApplyEvent(
      keys.length,
      ...keys,
      tenantPrefix(tenantId),
      o.dedupeTtlSeconds,
      event.occurredAtMs,
      event.type,
      o.recentMax,
      o.cooccurrenceWindow,
      o.cooccurrenceCap,
      ...items
    );
    return applied === 1 ? 'applied' : 'duplicate';
  }
}
