import type { Redis } from 'ioredis';

import type { OpList } from './compile';
import type { FeatureEvent } from './event';
import { entityGroup, groupPrefix } from './keys';

/**
 * The item catalog: what an item is (category path, brand, price, availability, stock, when it arrived;
 * for content its series, season, episode and duration), kept from `item` events in the same build and the
 * same exactly-once scripts as the features. An update older than the item's last applied one (events
 * applied concurrently can arrive out of order) leaves its attributes as they are.
 *
 * | key (keys.ts: after `fs:v3:<b>:{<t>:<group>}:`) | type | holds                                            |
 * |--------------------------------------------------|------|--------------------------------------------------|
 * | it:<item id>      (the item's group)             | hash | attributes below, `_at`: time of the last update |
 * | new               (each aggregate shard)         | zset | newest items by arrival time (ms), 1 000 a shard |
 * | sr:<series id>    (the series' group)            | zset | a series' episodes, by season * 100 000 + episode |
 */
export const ITEM_EVENT = 'item';
/** How many of the newest items the new-arrivals index keeps. */
export const NEW_ARRIVALS = 1_000;

export interface ItemAttributes {
  category?: string;
  brand?: string;
  price?: number;
  available?: boolean;
  stock?: number;
  /** Arrival time, ms. */
  createdAtMs?: number;
  seriesId?: string;
  season?: number;
  episode?: number;
  durationSeconds?: number;
}

/** Event property → hash field and type; `created_at` arrives as ISO 8601 and is stored as ms. */
const FIELDS = {
  category: 'string',
  brand: 'string',
  price: 'number',
  available: 'boolean',
  stock: 'number',
  created_at: 'time',
  series_id: 'string',
  season: 'number',
  episode: 'number',
  duration_s: 'number',
} as const;

export const catalogKeys = {
  item: (prefix: string, itemId: string) => `${groupPrefix(prefix, entityGroup(itemId))}it:${itemId}`,
  newArrivals: (prefix: string, shard: number) => `${groupPrefix(prefix, `a${shard}`)}new`,
  series: (prefix: string, seriesId: string) => `${groupPrefix(prefix, entityGroup(seriesId))}sr:${seriesId}`,
};

/** Where an episode sits in its series: season-major, so S2E1 follows S1E30. */
export const episodeOrder = (season: number, episode: number): number => season * 100_000 + episode;

/**
 * The operations of an `item` event (see apply-script.ts): `I item-key event-ms n [field value]…` for its
 * attributes, and `Y zset-key member score max` for its place among new arrivals and in its series.
 */
export function planItemUpdate(event: FeatureEvent, ops: OpList): void {
  const itemId = event.itemIds[0];
  if (itemId === undefined) return;
  const pairs: string[] = [];
  let createdMs = 0;
  for (const [property, type] of Object.entries(FIELDS)) {
    const value = event.properties[property];
    if (value === undefined) continue;
    if (type === 'time') {
      const ms = typeof value === 'number' ? value : Date.parse(String(value));
      if (!Number.isFinite(ms)) continue;
      createdMs = ms;
      pairs.push(property, String(ms));
    } else if (type === 'boolean') {
      pairs.push(property, value === true || value === 'true' ? '1' : '0');
    } else {
      pairs.push(property, String(value));
    }
  }
  const series = event.properties['series_id'];
  const season = Number(event.properties['season'] ?? 0);
  const episode = Number(event.properties['episode'] ?? 0);
  ops.op('I', ops.key(catalogKeys.item(ops.prefix, itemId)), String(event.occurredAtMs), pairs.length / 2, ...pairs);
  if (createdMs > 0)
    ops.op('Y', ops.key(catalogKeys.newArrivals(ops.prefix, ops.shard)), itemId, String(createdMs), NEW_ARRIVALS);
  if (typeof series === 'string' && series !== '')
    ops.op('Y', ops.key(catalogKeys.series(ops.prefix, series)), itemId, String(episodeOrder(season, episode)), 0);
}

/** Attributes of items as stored; undefined for an item the catalog does not know. */
export async function readItemAttributes(
  redis: Redis,
  prefix: string,
  itemIds: readonly string[]
): Promise<(ItemAttributes | undefined)[]> {
  const fields = Object.keys(FIELDS);
  const rows = await Promise.all(itemIds.map((id) => redis.hmget(catalogKeys.item(prefix, id), ...fields)));
  return rows.map((row) => (row.every((v) => v === null) ? undefined : toAttributes(row)));
}

function toAttributes(row: (string | null)[]): ItemAttributes {
  const [category, brand, price, available, stock, created, series, season, episode, duration] = row;
  const number = (v: string | null | undefined): number | undefined => (v == null ? undefined : Number(v));
  const attributes: ItemAttributes = {};
  if (category != null) attributes.category = category;
  if (brand != null) attributes.brand = brand;
  if (price != null) attributes.price = Number(price);
  if (available != null) attributes.available = available === '1';
  if (stock != null) attributes.stock = Number(stock);
  if (created != null) attributes.createdAtMs = Number(created);
  if (series != null) attributes.seriesId = series;
  if (season != null) attributes.season = number(season)!;
  if (episode != null) attributes.episode = number(episode)!;
  if (duration != null) attributes.durationSeconds = Number(duration);
  return attributes;
}
