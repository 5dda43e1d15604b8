/**
 * Realistic events for the intake suite, pre-encoded so that the load generators spend next to nothing
 * per event: a pool of distinct events (view / search / purchase of the built-in types, schema-valid
 * properties, a user id, and for a share of them a phone number in varied formats and an email) is
 * encoded once as protobuf, with a fixed-width placeholder for the event id. Each event sent copies one
 * encoded event and writes a fresh id into it, so no two events of a run share an id.
 *
 * The same pool yields both sides of the benchmark: the events as a client sends them to Ingest (raw
 * phone number and email), and the events as intake stores them on EVENTS (keyed hashes instead, tenant
 * and receive time set), with the subject and message id intake would use.
 */
import { createHmac, randomBytes } from 'node:crypto';

import type { Event } from '@dmp/grpc';
import { prng } from '@dmp/demo-data';
import { encodeEvent, eventMsgId, eventSubject, subjectKey } from '@dmp/messaging';

/** Event ids are `<8 hex run tag>-<15 digit counter>`: fixed width, so they can be written in place. */
export const EVENT_ID_LENGTH = 24;
const PLACEHOLDER = 'Z'.repeat(EVENT_ID_LENGTH);

export interface EventPoolOptions {
  tenantId: string;
  /** Distinct events in the pool. */
  size: number;
  seed: number;
  /** Share of events that carry an msisdn and an email (so intake normalizes and HMACs them). */
  piiShare: number;
}

export const DEFAULT_POOL: Omit<EventPoolOptions, 'tenantId'> = { size: 8192, seed: 7, piiShare: 0.3 };

/** One pooled event, as a client sends it and as intake would store it. */
export interface PooledEvent {
  /** dmp.events.v1.Event bytes as sent to Ingest, framed as field 2 of IngestRequest (tag, length, bytes). */
  request: Buffer;
  /** Offset of the event id's bytes in `request`. */
  requestIdAt: number;
  /** dmp.events.v1.Event bytes as intake stores them (encodeEvent of the validated event). */
  stored: Buffer;
  storedIdAt: number;
  /** The EVENTS subject intake would publish it on. */
  subject: string;
}

/**
 * One event of a pool: encoded once as sent (with `placeholder` where the id goes, replaced per send) and as
 * intake would store it for `tenantId`, received at `nowMs`.
 */
export function pooledEvent(
  event: Event,
  tenantId: string,
  nowMs: number,
  placeholder: string,
  subject: string
): PooledEvent {
  const encoded = Buffer.from(encodeEvent(event));
  const request = Buffer.concat([Buffer.from([0x12, ...varint(encoded.length)]), encoded]);
  const stored = Buffer.from(
    encodeEvent({
      ...event,
      tenantId,
      receivedAt: { seconds: String(Math.floor(nowMs / 1000)), nanos: (nowMs % 1000) * 1e6 },
    })
  );
  return {
    request,
    requestIdAt: request.indexOf(placeholder, 0, 'latin1'),
    stored,
    storedIdAt: stored.indexOf(placeholder, 0, 'latin1'),
    subject,
  };
}

const WORDS = ['iphone', 'case', 'charger', 'tariff', 'roaming', 'router', 'headphones', 'tv', 'sim', 'watch'];
const CITIES = ['Moscow', 'Saint Petersburg', 'Kazan', 'Novosibirsk', 'Yekaterinburg', 'Samara'];
const OSES = ['android 15', 'android 14', 'ios 18', 'ios 17', 'windows 11'];

/** A Russian mobile number in one of the ways people write them, and its E.164 form. */
function msisdn(random: () => number): { raw: string; e164: string } {
  const digits = `9${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
  const [a, b, c, d] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6, 8), digits.slice(8, 10)];
  const formats = [
    `+7 ${a} ${b}-${c}-${d}`,
    `+7${digits}`,
    `8 (${a}) ${b}-${c}-${d}`,
    `+7 (${a}) ${b} ${c} ${d}`,
    `8${digits}`,
    `7-${a}-${b}-${c}-${d}`,
  ];
  return { raw: formats[Math.floor(random() * formats.length)]!, e164: `+7${digits}` };
}

/** The event a client sends (with the id placeholder), drawn from `random`. */
function clientEvent(random: () => number, nowMs: number, piiShare: number): Event {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const user = Math.floor(random() * 100_000);
  const item = (): string => `sku-${String(Math.floor(random() * 50_000)).padStart(5, '0')}`;
  const r = random();
  const type = r < 0.7 ? 'view' : r < 0.9 ? 'search' : 'purchase';
  const occurredMs = nowMs - Math.floor(random() * 60_000);
  const event: Event = {
    eventId: PLACEHOLDER,
    type,
    occurredAt: { seconds: String(Math.floor(occurredMs / 1000)), nanos: (occurredMs % 1000) * 1e6 },
    identities: { userId: `u-${String(user).padStart(6, '0')}` },
    context: {
      channel: pick(['web', 'app']),
      placement: pick(['home', 'pdp', 'search', 'cart']),
      geo: { country: 'RU', city: pick(CITIES) },
      device: { type: pick(['mobile', 'desktop', 'tablet']), os: pick(OSES) },
    },
  };
  if (random() < piiShare) {
    const phone = msisdn(random);
    event.identities = {
      ...event.identities,
      msisdn: phone.raw,
      email: `${random() < 0.5 ? 'User' : 'user'}.${user}@${pick(['mail.ru', 'yandex.ru', 'gmail.com'])}`,
    };
  }
  const price = Math.round(random() * 100_000) / 100;
  if (type === 'view') {
    event.itemIds = [item()];
    event.properties = { price: { numberValue: price }, currency: { stringValue: 'RUB' } };
  } else if (type === 'purchase') {
    const quantity = 1 + Math.floor(random() * 3);
    event.itemIds = Array.from({ length: quantity }, item);
    event.properties = {
      order_id: { stringValue: `o-${Math.floor(random() * 1e9)}` },
      revenue: { numberValue: price * quantity },
      currency: { stringValue: 'RUB' },
      quantity: { numberValue: quantity },
    };
  } else {
    event.properties = {
      query: { stringValue: `${pick(WORDS)} ${pick(WORDS)}` },
      results: { numberValue: Math.floor(random() * 500) },
    };
  }
  return event;
}

/**
 * The event as intake's validation makes it: tenant and receive time set, the phone number (E.164) and
 * the lowercased email replaced by keyed hashes with the key id. The hashes are made with a bench key:
 * same shape and size as intake's, which is all the limit needs.
 */
function storedEvent(event: Event, tenantId: string, nowMs: number, key: Buffer): { event: Event; token: string } {
  const hmac = (text: string): string => createHmac('sha256', key).update(text).digest('hex');
  const ids = event.identities ?? {};
  const identities: Event['identities'] = { userId: ids.userId ?? '', anonymousId: '', deviceId: '' };
  if (ids.msisdn) {
    const digits = ids.msisdn.replace(/\D/g, '').slice(-10);
    identities.msisdnHash = hmac(`msisdn:+7${digits}`);
  }
  if (ids.email) identities.emailHash = hmac(`email:${ids.email.toLowerCase()}`);
  if (identities.msisdnHash || identities.emailHash) identities.hashKeyId = 'bench';
  const stored: Event = {
    ...event,
    tenantId,
    identities,
    receivedAt: { seconds: String(Math.floor(nowMs / 1000)), nanos: (nowMs % 1000) * 1e6 },
  };
  return { event: stored, token: hmac(`subject:${subjectKey(identities)}`).slice(0, 16) };
}

/** A protobuf varint's bytes. */
export function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

function idOffset(bytes: Buffer): number {
  const at = bytes.indexOf(PLACEHOLDER, 0, 'latin1');
  if (at < 0) throw new Error('event id placeholder not found in the encoded event');
  return at;
}

export function eventPool(options: EventPoolOptions): PooledEvent[] {
  const random = prng(options.seed);
  const nowMs = Date.now();
  const key = createHmac('sha256', randomBytes(32)).update(`tenant:${options.tenantId}`).digest();
  return Array.from({ length: options.size }, () => {
    const event = clientEvent(random, nowMs, options.piiShare);
    const encoded = Buffer.from(encodeEvent(event));
    // IngestRequest field 2 (events), length-delimited: tag 0x12, length, the event's bytes.
    const request = Buffer.concat([Buffer.from([0x12, ...varint(encoded.length)]), encoded]);
    const valid = storedEvent(event, options.tenantId, nowMs, key);
    const stored = Buffer.from(encodeEvent(valid.event));
    return {
      request,
      requestIdAt: idOffset(request),
      stored,
      storedIdAt: idOffset(stored),
      subject: eventSubject(options.tenantId, event.type!, valid.token),
    };
  });
}

/** Unique event ids for one process: a random run tag and a counter. */
export class EventIds {
  private readonly tag = randomBytes(4).toString('hex');
  private next = 0;

  /** Writes the next id at `at` in `target` and returns it. */
  write(target: Buffer, at: number): string {
    const id = `${this.tag}-${String(this.next++).padStart(15, '0')}`;
    target.write(id, at, 'latin1');
    return id;
  }
}

/** IngestRequest bytes for `size` events from the pool starting at `from`, each with a fresh id. */
export function ingestRequest(
  tenantId: string,
  pool: PooledEvent[],
  from: number,
  size: number,
  ids: EventIds
): Buffer {
  const head = Buffer.from([0x0a, ...varint(Buffer.byteLength(tenantId)), ...Buffer.from(tenantId)]);
  let total = head.length;
  for (let i = 0; i < size; i++) total += pool[(from + i) % pool.length]!.request.length;
  const out = Buffer.allocUnsafe(total);
  head.copy(out, 0);
  let at = head.length;
  for (let i = 0; i < size; i++) {
    const event = pool[(from + i) % pool.length]!;
    event.request.copy(out, at);
    ids.write(out, at + event.requestIdAt);
    at += event.request.length;
  }
  return out;
}

/** A stored-form message for the pooled event: its bytes with a fresh id, subject and message id. */
export function storedMessage(
  tenantId: string,
  event: PooledEvent,
  ids: EventIds
): { subject: string; data: Buffer; msgID: string } {
  const data = Buffer.from(event.stored);
  const id = ids.write(data, event.storedIdAt);
  return { subject: event.subject, data, msgID: eventMsgId(tenantId, id) };
}

export interface IngestCounts {
  accepted: number;
  duplicate: number;
  rejected: number;
  /** The first rejection's field, rule and reason, to tell what went wrong. */
  firstProblem?: string;
}

function readVarint(bytes: Buffer, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
    shift += 7;
  }
}

/**
 * Counts the statuses of an IngestResponse without decoding it into objects: results are field 1, and
 * in each EventResult the status is field 2 (1 accepted, 2 duplicate, 3 rejected); field, reason and rule
 * are 3, 4 and 5.
 */
export function countResults(bytes: Buffer, counts: IngestCounts): void {
  let at = 0;
  while (at < bytes.length) {
    const [tag, afterTag] = readVarint(bytes, at);
    const [length, start] = readVarint(bytes, afterTag);
    at = start + length;
    if (tag !== 0x0a) continue;
    let status = 0;
    const text: Record<number, string> = {};
    for (let p = start; p < start + length;) {
      const [fieldTag, next] = readVarint(bytes, p);
      if ((fieldTag & 7) === 0) {
        const [value, after] = readVarint(bytes, next);
        if (fieldTag >>> 3 === 2) status = value;
        p = after;
      } else {
        const [size, from] = readVarint(bytes, next);
        if (fieldTag >>> 3 >= 3) text[fieldTag >>> 3] = bytes.toString('utf8', from, from + size);
        p = from + size;
      }
    }
    if (status === 1) counts.accepted++;
    else if (status === 2) counts.duplicate++;
    else {
      counts.rejected++;
      counts.firstProblem ??= `${text[3] ?? '?'} ${text[5] ?? '?'}: ${text[4] ?? '?'} (status ${status})`;
    }
  }
}
