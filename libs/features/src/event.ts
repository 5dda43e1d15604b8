import type { Event__Output } from '@dmp/grpc';
import { identifiersOf } from '@dmp/messaging';

/** What the feature store needs of an event: a decoded dmp.events.v1.Event, flattened. */
export interface FeatureEvent {
  tenantId: string;
  eventId: string;
  type: string;
  /**
   * Who the event is about: first its best identifier (see @dmp/messaging subjectKey), then, once the
   * identity graph resolved it (identity.ts), the profile that identifier belongs to.
   */
  subject: string;
  /** The event's identifiers, best first (@dmp/messaging identifiersOf); none for an item event. */
  identifiers: readonly string[];
  itemIds: readonly string[];
  occurredAtMs: number;
  /** Properties as plain values. */
  properties: Readonly<Record<string, string | number | boolean>>;
  /** Context fields by their condition paths, e.g. "context.channel". */
  context: Readonly<Record<string, string>>;
}

/** The category an event is about: its `category` property, else the page category. */
export function categoryOf(event: FeatureEvent): string | undefined {
  const property = event.properties['category'];
  if (typeof property === 'string' && property !== '') return property;
  const page = event.context['context.page_category'];
  return page ? page : undefined;
}

/**
 * Flattens a decoded stream event for the feature store; throws when it lacks what features are keyed by
 * (a message intake could not have written).
 */
export function toFeatureEvent(event: Event__Output): FeatureEvent {
  // Item events (the catalog) are about an item, not a user: intake accepts them without identities.
  const identifiers = event.type === 'item' ? [] : identifiersOf(event.identities);
  const subject = identifiers[0] ?? (event.type === 'item' && event.itemIds[0] ? `item:${event.itemIds[0]}` : '');
  if (event.tenantId === '' || event.eventId === '' || event.type === '' || subject === '') {
    throw new Error('event lacks tenant_id, event_id, type or an identity');
  }
  const properties: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(event.properties)) {
    const plain =
      value.kind === 'stringValue'
        ? value.stringValue
        : value.kind === 'numberValue'
          ? value.numberValue
          : value.boolValue;
    if (plain !== undefined) properties[name] = plain;
  }
  const c = event.context;
  const context: Record<string, string> = {};
  for (const [path, value] of [
    ['context.channel', c?.channel],
    ['context.placement', c?.placement],
    ['context.page_category', c?.pageCategory],
    ['context.geo.country', c?.geo?.country],
    ['context.device.type', c?.device?.type],
    ['context.app.name', c?.app?.name],
  ] as const) {
    if (value) context[path] = value;
  }
  return {
    tenantId: event.tenantId,
    eventId: event.eventId,
    type: event.type,
    subject,
    identifiers,
    itemIds: event.itemIds,
    occurredAtMs: timestampMs(event.occurredAt),
    properties,
    context,
  };
}

export function timestampMs(timestamp: { seconds: string; nanos: number } | null): number {
  return timestamp ? Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1e6) : 0;
}
