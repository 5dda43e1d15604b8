import { createHash } from 'node:crypto';

import type { CatalogItem__Output, EventResult, Event__Output, PropertyValue__Output } from '@dmp/grpc';

/**
 * UpsertItems' items as the catalog's `item` events: one path for both doors, so an item is checked, stored
 * and kept exactly as an `item` event sent through Ingest would be.
 */
export function itemEvent(item: CatalogItem__Output, nowMs: number): Event__Output {
  const updated = item.updatedAt ?? { seconds: String(Math.floor(nowMs / 1000)), nanos: (nowMs % 1000) * 1e6 };
  const properties: Record<string, PropertyValue__Output> = {};
  const text = (name: string, value: string): void => {
    if (value !== '') properties[name] = { kind: 'stringValue', stringValue: value };
  };
  const number = (name: string, value: number | string | undefined): void => {
    if (value !== undefined) properties[name] = { kind: 'numberValue', numberValue: Number(value) };
  };
  text('category', item.category);
  text('brand', item.brand);
  number('price', item.price);
  text('currency', item.currency);
  if (item.available !== undefined) properties['available'] = { kind: 'boolValue', boolValue: item.available };
  number('stock', item.stock);
  if (item.createdAt) {
    const ms = Number(item.createdAt.seconds) * 1000 + Math.floor(item.createdAt.nanos / 1e6);
    text('created_at', new Date(ms).toISOString());
  }
  text('series_id', item.seriesId);
  number('season', item.season);
  number('episode', item.episode);
  number('duration_s', item.durationS);
  return {
    // The same item at the same version is the same event: a retried upsert is stored once.
    eventId: `item-${createHash('sha256').update(`${item.itemId}\u0000${updated.seconds}.${updated.nanos}`).digest('hex').slice(0, 40)}`,
    tenantId: '',
    type: 'item',
    occurredAt: updated,
    receivedAt: null,
    identities: null,
    itemIds: [item.itemId],
    context: null,
    properties,
  };
}

/** A result of the `item` event as a result of the item: its id, and field paths named after the item's fields. */
export function itemResult(result: EventResult, index: number, item: CatalogItem__Output): EventResult {
  const field = (result.field ?? '')
    .replace(/^events\[(\d+)\]\.item_ids(\[0\])?/, 'items[$1].item_id')
    .replace(/^events\[(\d+)\]\.properties\.([a-z_]+)/, 'items[$1].$2')
    .replace(/^events\[(\d+)\]/, 'items[$1]');
  return { ...result, eventId: item.itemId || `items[${index}]`, field };
}
