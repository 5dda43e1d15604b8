import type * as grpc from '@grpc/grpc-js';

import {
  clientStreaming,
  unary,
  type EventResult,
  type EventType,
  type IngestStreamRequest__Output,
  type IngestStreamResponse,
  type IntakeServiceHandlers,
} from '@dmp/grpc';
import type { TenantDirectory } from '@dmp/messaging';
import { InvalidArgumentError } from '@dmp/runtime';

import { itemEvent, itemResult } from './catalog-items';
import type { EventTypeRegistry } from './event-type-registry';
import type { CompiledEventType } from './event-types';
import type { Intake } from './intake';
import { MAX_BATCH } from './validation';

/** Batches of one IngestStream call in flight at once; the stream is not read further until one ends. */
const STREAM_BATCHES_IN_FLIGHT = 8;
/** Rejected events listed in an IngestStream response. */
const STREAM_REJECTED_LISTED = 1000;

export interface IntakeHandlerDeps {
  intake: Intake;
  tenants: TenantDirectory;
  eventTypes: EventTypeRegistry;
}

export function intakeHandlers({ intake, tenants, eventTypes }: IntakeHandlerDeps): IntakeServiceHandlers {
  return {
    Ingest: unary(async (request) => ({
      results: await intake.ingest(
        request.tenantId,
        request.events.map((event) => ({ event, raw: event })),
        'grpc'
      ),
    })),

    IngestStream: clientStreaming((call) => ingestStream(call, intake)),

    UpsertItems: unary(async (request) => {
      const { items } = request;
      if (items.length === 0) throw new InvalidArgumentError('items', 'must hold at least one item');
      if (items.length > MAX_BATCH)
        throw new InvalidArgumentError('items', `holds ${items.length}; at most ${MAX_BATCH}`);
      const now = Date.now();
      const events = items.map((item) => itemEvent(item, now));
      const results = await intake.ingest(
        request.tenantId,
        events.map((event, i) => ({ event, raw: items[i] })),
        'grpc'
      );
      return { results: results.map((result, i) => itemResult(result, i, items[i]!)) };
    }),

    PutEventType: unary(async (request) => {
      const type = request.eventType;
      if (!type) throw new InvalidArgumentError('event_type', 'is required');
      tenants.require(type.tenantId, 'event_type.tenant_id');
      let schema: unknown;
      try {
        schema = JSON.parse(type.propertiesSchemaJson || '{"type":"object"}');
      } catch {
        throw new InvalidArgumentError('event_type.properties_schema_json', 'is not valid JSON');
      }
      const stored = await eventTypes.put(type.tenantId, {
        name: type.name,
        description: type.description,
        propertiesSchema: schema as Record<string, unknown>,
        requiresItems: type.requiresItems,
      });
      return { eventType: toProto(stored, type.tenantId) };
    }),

    ListEventTypes: unary((request) => {
      tenants.require(request.tenantId);
      return Promise.resolve({
        eventTypes: eventTypes.list(request.tenantId).map((t) => toProto(t, request.tenantId)),
      });
    }),
  };
}

/**
 * Reads batches as fast as they can be stored: at most a few in flight, and each waits (instead of
 * failing) while its tenant is over its rate or intake is at capacity, so the sender is slowed by gRPC
 * flow control rather than refused.
 */
function ingestStream(
  call: grpc.ServerReadableStream<IngestStreamRequest__Output, IngestStreamResponse>,
  intake: Intake
): Promise<IngestStreamResponse> {
  return new Promise((resolve, reject) => {
    const counts = { accepted: 0, duplicate: 0, rejected: 0 };
    const rejected: EventResult[] = [];
    const inFlight = new Set<Promise<void>>();
    let failed = false;
    let ended = false;
    let messages = 0;

    // The first failure ends the call; a request error names the message it was in.
    const fail = (error: unknown, index: number): void => {
      if (failed) return;
      failed = true;
      call.removeAllListeners('data');
      reject(
        error instanceof InvalidArgumentError
          ? new InvalidArgumentError(`messages[${index}].${error.field}`, error.problem)
          : (error as Error)
      );
    };
    const finish = (): void => {
      if (ended && inFlight.size === 0 && !failed) {
        resolve({
          acceptedCount: counts.accepted,
          duplicateCount: counts.duplicate,
          rejectedCount: counts.rejected,
          rejected,
        });
      }
    };

    call.on('data', (request: IngestStreamRequest__Output) => {
      const index = messages++;
      const task = intake
        .ingest(
          request.tenantId,
          request.events.map((event) => ({ event, raw: event })),
          'grpc_stream',
          'wait'
        )
        .then(
          (results) => {
            for (const result of results) {
              if (result.status === 'EVENT_STATUS_ACCEPTED') counts.accepted++;
              else if (result.status === 'EVENT_STATUS_DUPLICATE') counts.duplicate++;
              else {
                counts.rejected++;
                if (rejected.length < STREAM_REJECTED_LISTED)
                  rejected.push({ ...result, field: `messages[${index}].${result.field}` });
              }
            }
          },
          (error: unknown) => fail(error, index)
        )
        .finally(() => {
          inFlight.delete(task);
          if (inFlight.size < STREAM_BATCHES_IN_FLIGHT && !failed) call.resume();
          finish();
        });
      inFlight.add(task);
      if (inFlight.size >= STREAM_BATCHES_IN_FLIGHT) call.pause();
    });
    call.once('end', () => {
      ended = true;
      finish();
    });
    call.once('error', (error) => fail(error, messages));
  });
}

function toProto(type: CompiledEventType, tenantId: string): EventType {
  return {
    tenantId: type.builtIn ? '' : tenantId,
    name: type.definition.name,
    description: type.definition.description,
    propertiesSchemaJson: JSON.stringify(type.definition.propertiesSchema),
    requiresItems: type.definition.requiresItems,
    builtIn: type.builtIn,
  };
}
