import { createHash } from 'node:crypto';

import type { CountryCode } from 'libphonenumber-js/min';
import { Counter } from 'prom-client';

import type { Event__Output, EventResult } from '@dmp/grpc';
import {
  encodeEvent,
  eventMsgId,
  eventSubject,
  failedEventSubject,
  subjectToken,
  traceHeaders,
  type OutgoingMessage,
  type TenantRecord,
} from '@dmp/messaging';
import { delay, InvalidArgumentError, ResourceExhaustedError } from '@dmp/runtime';
import { metricsRegistry } from '@dmp/telemetry';

import type { CompiledEventType } from './event-types';
import { scrubPii, type IdentityHasher } from './identities';
import type { RateLimiter } from './rate-limiter';
import { MAX_BATCH, MAX_EVENT_BYTES, validateEvent, type Problem } from './validation';

const eventsTotal = new Counter({
  name: 'intake_events_total',
  help: 'Events received, by door and outcome.',
  labelNames: ['door', 'status'],
  registers: [metricsRegistry],
});

/** Where an event came in. */
export type Door = 'grpc' | 'grpc_stream' | 'http';

/** An event as a door received it: decoded, or with the problem that kept it from decoding. */
export interface IncomingEvent {
  event?: Event__Output;
  /** Set when the door could not even read the event (HTTP JSON of the wrong shape). */
  problem?: Problem;
  /** For such an event: its id, when one could be read. */
  eventId?: string;
  /** What the client sent, for the failed-events stream. */
  raw: unknown;
}

export interface Appender {
  /** Stores every message once; 'stored' or 'duplicate' (stored before this call) for each, in order. */
  appendAll(messages: readonly OutgoingMessage[], headers: Record<string, string>): Promise<('stored' | 'duplicate')[]>;
}

export interface IntakeDeps {
  tenants: { require(tenantId: string): TenantRecord };
  eventTypes: { lookup(tenantId: string, name: string): CompiledEventType | undefined };
  hasher: IdentityHasher;
  appender: Appender;
  limiter: RateLimiter;
  /** Events per second per tenant (per replica) unless the tenant's record says otherwise. */
  defaultEventsPerSecond: number;
  /** Most events this replica has in flight to JetStream; more is refused with RESOURCE_EXHAUSTED. */
  maxInFlight: number;
  defaultRegion?: CountryCode;
  now?: () => number;
}

/** How a door meets a limit: refuse the batch with retry advice (unary), or wait (streams). */
export type Flow = 'refuse' | 'wait';

/**
 * The front door's logic, shared by gRPC, gRPC streams and HTTP: limits, validation with identity
 * protection, and storage. Every valid event goes to EVENTS and every rejected one to FAILED_EVENTS,
 * both concurrently; the call succeeds only when all of them are stored, so nothing a client sent is
 * dropped and nothing is acknowledged that is not stored.
 */
export class Intake {
  private inFlight = 0;

  constructor(private readonly deps: IntakeDeps) {}

  async ingest(tenantId: string, items: IncomingEvent[], door: Door, flow: Flow = 'refuse'): Promise<EventResult[]> {
    const tenant = this.deps.tenants.require(tenantId);
    if (items.length === 0) throw new InvalidArgumentError('events', 'must hold at least one event');
    if (items.length > MAX_BATCH)
      throw new InvalidArgumentError('events', `holds ${items.length} events; at most ${MAX_BATCH}`);
    await this.admit(tenant, items.length, flow);
    this.inFlight += items.length;
    try {
      const now = (this.deps.now ?? Date.now)();
      // The trace context travels in every message's headers; it is the same for the whole batch.
      const trace = traceHeaders();
      const context = {
        tenantId,
        nowMs: now,
        eventType: (name: string) => this.deps.eventTypes.lookup(tenantId, name),
        hasher: this.deps.hasher,
        ...(this.deps.defaultRegion && { defaultRegion: this.deps.defaultRegion }),
      };
      // Validate and encode everything first, then store the whole batch at once: one promise for all
      // the valid events rather than one per event (this loop is intake's hot path).
      const results = new Array<EventResult>(items.length);
      const outgoing: OutgoingMessage[] = [];
      const outgoingIndex: number[] = [];
      const rejections: Promise<void>[] = [];
      items.forEach((item, index) => {
        const eventId = item.event?.eventId ?? item.eventId ?? '';
        const verdict = item.problem
          ? { ok: false as const, ...item.problem }
          : validateEvent(item.event!, index, context);
        if (!verdict.ok) {
          rejections.push(
            this.reject(tenantId, door, eventId, item, verdict, now).then((r) => void (results[index] = r))
          );
          return;
        }
        const data = encodeEvent(verdict.event);
        if (data.length > MAX_EVENT_BYTES) {
          const problem = {
            field: `events[${index}]`,
            rule: 'max_bytes',
            reason: `is ${data.length} bytes encoded; at most ${MAX_EVENT_BYTES}`,
          };
          rejections.push(
            this.reject(tenantId, door, eventId, item, problem, now).then((r) => void (results[index] = r))
          );
          return;
        }
        const token = subjectToken(tenantId, verdict.event.subjectKey);
        outgoing.push({
          subject: eventSubject(tenantId, verdict.event.type, token),
          msgID: eventMsgId(tenantId, eventId),
          data,
        });
        outgoingIndex.push(index);
      });
      const [stored] = await Promise.all([this.deps.appender.appendAll(outgoing, trace), Promise.all(rejections)]);
      stored.forEach((outcome, i) => {
        const index = outgoingIndex[i]!;
        results[index] = {
          eventId: items[index]!.event!.eventId,
          status: outcome === 'stored' ? 'EVENT_STATUS_ACCEPTED' : 'EVENT_STATUS_DUPLICATE',
        };
      });
      for (const result of results) eventsTotal.inc({ door, status: String(result.status) });
      return results;
    } finally {
      this.inFlight -= items.length;
    }
  }

  /** Files a rejected event in FAILED_EVENTS: the reason and the payload as sent, personal data keyed. */
  private async reject(
    tenantId: string,
    door: Door,
    eventId: string,
    item: IncomingEvent,
    problem: Problem,
    now: number
  ): Promise<EventResult> {
    const redact = (raw: string): string =>
      `[redacted:${this.deps.hasher.hash(tenantId, 'redacted', raw).slice(0, 16)}]`;
    // Scrubbed first (which also bounds the depth); an oversized payload is not kept: its size says enough.
    let payload = JSON.stringify(scrubPii(item.raw, redact)) ?? 'null';
    if (payload.length > MAX_EVENT_BYTES) payload = JSON.stringify({ truncated: true, bytes: payload.length });
    const record = JSON.stringify({
      tenant_id: tenantId,
      event_id: eventId,
      door,
      received_at: new Date(now).toISOString(),
      field: problem.field,
      rule: problem.rule,
      reason: scrubPii(problem.reason, redact),
      payload: JSON.parse(payload) as unknown,
    });
    // The same rejected event sent again (a client retry, wherever it sits in its batch) is filed once.
    const digest = createHash('sha256').update(payload).update(problem.rule).update(problem.reason).digest('hex');
    const msgID = `failed:${tenantId}:${digest.slice(0, 32)}`;
    await this.deps.appender.appendAll(
      [{ subject: failedEventSubject(tenantId, door), msgID, data: Buffer.from(record) }],
      traceHeaders()
    );
    return {
      eventId,
      status: 'EVENT_STATUS_REJECTED',
      field: problem.field,
      rule: problem.rule,
      reason: problem.reason,
    };
  }

  /** Applies the tenant's rate limit and this replica's capacity, refusing or waiting per `flow`. */
  private async admit(tenant: TenantRecord, count: number, flow: Flow): Promise<void> {
    const rate = tenant.eventsPerSecond ?? this.deps.defaultEventsPerSecond;
    for (;;) {
      const waitMs = this.deps.limiter.take(tenant.id, count, rate);
      if (waitMs === 0) break;
      if (flow === 'refuse') {
        throw new ResourceExhaustedError(
          `tenant_id: rate limit of ${rate} events/s exceeded; retry in ${waitMs} ms`,
          waitMs
        );
      }
      await delay(waitMs);
    }
    while (this.inFlight + count > this.deps.maxInFlight) {
      if (flow === 'refuse') throw new ResourceExhaustedError('intake is at capacity; retry shortly', 250);
      await delay(10);
    }
  }
}
