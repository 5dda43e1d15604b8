import type { NatsConnection } from '@nats-io/transport-node';

import { EVENT_TYPE_PATTERN, KvMirror } from '@dmp/messaging';
import { InvalidArgumentError, type Logger, type Readiness } from '@dmp/runtime';

import {
  BUILT_INS,
  checkPropertiesSchema,
  compileEventType,
  type CompiledEventType,
  type EventTypeDefinition,
} from './event-types';

export const EVENT_TYPES_BUCKET = 'dmp_event_types';

interface StoredEventType extends EventTypeDefinition {
  tenantId: string;
  updatedAt: string;
}

/**
 * The event types each tenant can send: the built-in ones, and the tenant's own, kept in the NATS KV
 * bucket `dmp_event_types` under `<tenant>.<type>`, so every intake replica knows a new type within
 * milliseconds. Schemas are compiled when they change, never on the request path.
 */
export class EventTypeRegistry {
  private readonly compiled = new Map<string, CompiledEventType>();

  private constructor(private readonly mirror: KvMirror<StoredEventType>) {
    for (const stored of mirror.values()) this.compile(stored);
    mirror.onChange((key, stored) => (stored ? this.compile(stored) : this.compiled.delete(key)));
  }

  static async start(nc: NatsConnection, log: Logger, readiness: Readiness): Promise<EventTypeRegistry> {
    const mirror = await KvMirror.start<StoredEventType>(nc, EVENT_TYPES_BUCKET, {
      name: 'event-types',
      log,
      readiness,
    });
    return new EventTypeRegistry(mirror);
  }

  lookup(tenantId: string, name: string): CompiledEventType | undefined {
    return BUILT_INS.get(name) ?? this.compiled.get(`${tenantId}.${name}`);
  }

  /** Built-in types first, then the tenant's own, each by name. */
  list(tenantId: string): CompiledEventType[] {
    const own = [...this.compiled].filter(([key]) => key.startsWith(`${tenantId}.`)).map(([, type]) => type);
    const byName = (a: CompiledEventType, b: CompiledEventType): number =>
      a.definition.name.localeCompare(b.definition.name);
    return [...[...BUILT_INS.values()].sort(byName), ...own.sort(byName)];
  }

  /** Validates and stores a tenant's type; it is usable on this replica at once, on others within ms. */
  async put(tenantId: string, definition: EventTypeDefinition): Promise<CompiledEventType> {
    if (!EVENT_TYPE_PATTERN.test(definition.name)) {
      throw new InvalidArgumentError(
        'event_type.name',
        'must be 1-64 characters of lowercase snake_case, starting with a letter'
      );
    }
    if (BUILT_INS.has(definition.name))
      throw new InvalidArgumentError('event_type.name', `"${definition.name}" is a built-in type`);
    if (definition.description.length > 1024)
      throw new InvalidArgumentError('event_type.description', 'is longer than 1024 characters');
    try {
      checkPropertiesSchema(definition.propertiesSchema);
    } catch (error) {
      throw new InvalidArgumentError('event_type.properties_schema_json', (error as Error).message);
    }
    const stored: StoredEventType = { ...definition, tenantId, updatedAt: new Date().toISOString() };
    await this.mirror.kv.put(`${tenantId}.${definition.name}`, JSON.stringify(stored));
    return this.compile(stored);
  }

  private compile(stored: StoredEventType): CompiledEventType {
    const type = compileEventType(stored, false);
    this.compiled.set(`${stored.tenantId}.${stored.name}`, type);
    return type;
  }
}
