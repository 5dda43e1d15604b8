import type { Redis } from 'ioredis';

import type { OpList } from './compile';
import type { FeatureEvent } from './event';

/**
 * The item catalog: what an item is (category path, brand, price, availability, stock, when it arrived;
 * for content its series, season, episode and duration), kept from `item` events in the same build and the
 * same exactly-once script as the features. An update older than the item's last applied one (events
 * applied concurrently can arrive out of order) changes nothing.
 *
 * | key                                   | type | holds                                                       |
 * |---------------------------------------|------|-------------------------------------------------------------|
 * | fs:v2:{t}:<b>:it:<item id>            | hash | attributes below, and `_at`: event time of the last update  |
 * | fs:v2:{t}:<b>:new                     | zset | newest items by arrival time (ms), the newest 1 000          |
 * | fs:v2:{t}:<b>:sr:<series id>          | zset | a series' episodes, by season * 100 000 + episode            |
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
  item: (prefix: string, itemId: string) => `${prefix}it:${itemId}`,
  newArrivals: (prefix: string) => `${prefix}new`,
  series: (prefix: string, seriesId: string) => `${prefix}sr:${seriesId}`,
};

/** Where an episode sits in its series: season-major, so S2E1 follows S1E30. */
export const episodeOrder = (season: number, episode: number): number => season * 100_000 + episode;

/**
 * The `I` operation of an `item` event (see apply-script.ts):
 * `I item-key event-ms new-key created-ms series-key order item-id n [field value]…`, key indexes 0 = none.
 */
export function planItemUpdate(event: FeatureEvent, prefix: string, ops: OpList): void {
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
  ops.push(
    'I',
    ops.key(catalogKeys.item(prefix, itemId)),
    String(event.occurredAtMs),
    createdMs > 0 ? ops.key(catalogKeys.newArrivals(prefix)) : 0,
    String(createdMs),
    typeof series === 'string' && series !== '' ? ops.key(catalogKeys.series(prefix, series)) : 0,
    String(episodeOrder(season, episode)),
    itemId,
    pairs.length / 2,
    ...pairs
  );
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
