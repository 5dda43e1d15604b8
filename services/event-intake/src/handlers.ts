import { Counter } from 'prom-client';

import { unary, type EventResult, type IntakeServiceHandlers } from '@dmp/grpc';
import { encodeEvent, type TenantDirectory } from '@dmp/messaging';
import { InvalidArgumentError } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

import type { EventLog } from './event-log';
import { MAX_BATCH, MAX_EVENT_BYTES, validateEvent } from './validation';

const eventsTotal = new Counter({
  name: 'intake_events_total',
  help: 'Events received, by outcome.',
  labelNames: ['status'],
  registers: [metricsRegistry],
});

export interface IntakeDeps {
  tenants: TenantDirectory;
  eventLog: EventLog;
  now?: () => number;
}

export function intakeHandlers({ tenants, eventLog, now = Date.now }: IntakeDeps): IntakeServiceHandlers {
  return {
    Ingest: unary(async (request) => {
      tenants.require(request.tenantId);
      if (request.events.length === 0) throw new InvalidArgumentError('events', 'must hold at least one event');
      if (request.events.length > MAX_BATCH) {
        throw new InvalidArgumentError('events', `holds ${request.events.length} events; at most ${MAX_BATCH}`);
      }
      const nowMs = now();
      // Every valid event is published at once: JetStream acknowledges them in parallel, and a failure of
      // one fails the call (UNAVAILABLE) so the client retries the batch; stored events then come back DUPLICATE.
      const results = await Promise.all(
        request.events.map(async (event, index): Promise<EventResult> => {
          const verdict = validateEvent(request.tenantId, event, index, nowMs);
          if (!verdict.ok) {
            return {
              eventId: event.eventId,
              status: 'EVENT_STATUS_REJECTED',
              field: verdict.field,
              reason: verdict.reason,
            };
          }
          const data = encodeEvent(verdict.event);
          if (data.length > MAX_EVENT_BYTES) {
            const reason = `is ${data.length} bytes encoded; at most ${MAX_EVENT_BYTES}`;
            return { eventId: event.eventId, status: 'EVENT_STATUS_REJECTED', field: `events[${index}]`, reason };
          }
          const outcome = await eventLog.append(verdict.event, data);
          return {
            eventId: event.eventId,
            status: outcome === 'accepted' ? 'EVENT_STATUS_ACCEPTED' : 'EVENT_STATUS_DUPLICATE',
          };
        })
      );
      for (const result of results) eventsTotal.inc({ status: String(result.status) });
      return { results };
    }),
  };
}
