import type { ServiceDefinition } from '@grpc/grpc-js';

import type { FeatureValue } from '@dmp/features';
import type { EntityFeatures, FeatureValue as FeatureValueProto, GetFeaturesResponse } from '@dmp/grpc';

/**
 * The GetFeatures reply: the reader's grid of values, written straight to protobuf bytes. A reply of 100
 * entities x 20 values, lists of 50 scored items among them, is 10^4 small messages; mapped to plain
 * message objects, then copied by protobufjs into its own before it queues every field as an operation,
 * it cost the feature store more than reading Redis. Anything else that reads the reply gets the plain
 * message objects from `entities`.
 */
export class FeaturesReply implements GetFeaturesResponse {
  constructor(
    readonly ids: readonly string[],
    readonly grid: readonly (readonly FeatureValue[])[]
  ) {}

  get entities(): EntityFeatures[] {
    return this.grid.map((values, i) => ({ entityId: this.ids[i], values: values.map(toProto) }));
  }
}

/** The service definition with GetFeatures replies serialized by `encodeFeaturesReply` when they can be. */
export function withDirectGetFeaturesEncoding(service: ServiceDefinition): ServiceDefinition {
  const method = service['GetFeatures'];
  if (!method) throw new Error('FeatureStoreService has no GetFeatures method');
  const protobufjs = method.responseSerialize;
  return {
    ...service,
    GetFeatures: {
      ...method,
      responseSerialize: (response: GetFeaturesResponse) =>
        (response instanceof FeaturesReply && encodeFeaturesReply(response)) || protobufjs(response),
    },
  };
}

export function toProto(value: FeatureValue): FeatureValueProto {
  if (value.status === 'missing') return { status: 'FEATURE_STATUS_MISSING' };
  const status = value.status === 'stale' ? 'FEATURE_STATUS_STALE' : 'FEATURE_STATUS_PRESENT';
  const eventTime = value.eventTimeMs === undefined ? null : toTimestamp(value.eventTimeMs);
  return value.kind === 'number'
    ? { status, numberValue: value.value, eventTime }
    : { status, scoredItemListValue: { items: value.value }, eventTime };
}

export function toTimestamp(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: Math.floor(ms % 1000) * 1e6 };
}

// FeatureStatus numbers.
const STATUS = { present: 1, missing: 2, stale: 3 } as const;

// Tags: field number << 3 | wire type (0 varint, 1 64-bit, 2 length-delimited).
const TAG = {
  entities: (1 << 3) | 2,
  entityId: (1 << 3) | 2,
  values: (2 << 3) | 2,
  status: (1 << 3) | 0,
  numberValue: (2 << 3) | 1,
  scoredItemListValue: (4 << 3) | 2,
  eventTime: (5 << 3) | 2,
  items: (1 << 3) | 2,
  itemId: (1 << 3) | 2,
  score: (2 << 3) | 1,
  seconds: (1 << 3) | 0,
  nanos: (2 << 3) | 0,
};

class Unsupported extends Error {}

/**
 * A growable buffer. Each length-delimited value reserves its length prefix before its bytes are
 * written, sized to what the value usually needs, and fills it in afterwards: as a padded varint when
 * the value came out shorter (valid protobuf), or by moving the value when it came out longer.
 */
class Writer {
  buffer = Buffer.allocUnsafe(256 * 1024);
  // Doubles go through a DataView: Buffer's writeDoubleLE copies byte by byte.
  view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
  at = 0;

  room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(larger, 0, 0, this.at);
    this.buffer = larger;
    this.view = new DataView(larger.buffer, larger.byteOffset, larger.byteLength);
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.at++] = value;
  }

  varint(value: number): void {
    if (!(value >= 0) || !Number.isSafeInteger(value)) throw new Unsupported();
    this.room(8);
    while (value >= 0x80) {
      this.buffer[this.at++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buffer[this.at++] = value;
  }

  double(value: number): void {
    this.room(8);
    this.view.setFloat64(this.at, value, true);
    this.at += 8;
  }

  string(text: string): void {
    const start = this.open(1);
    this.room(text.length * 3);
    // Ids are short and ASCII: copied here, they skip a call into C++ per string.
    let ascii = text.length < 128;
    for (let i = 0; ascii && i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x80) this.buffer[this.at++] = code;
      else ascii = false;
    }
    if (!ascii) this.at = start + this.buffer.write(text, start, 'utf8');
    this.close(start, 1);
  }

  /** Reserves `prefix` bytes for a length; returns where the value starts. */
  open(prefix: number): number {
    this.room(prefix);
    this.at += prefix;
    return this.at;
  }

  close(start: number, prefix: number): void {
    const length = this.at - start;
    let needed = 1;
    for (let rest = length; rest >= 0x80; rest = Math.floor(rest / 128)) needed++;
    if (needed > prefix) {
      this.room(needed - prefix);
      this.buffer.copyWithin(start + needed - prefix, start, this.at);
      this.at += needed - prefix;
      start += needed - prefix;
      prefix = needed;
    }
    let rest = length;
    for (let i = start - prefix; i < start - 1; i++) {
      this.buffer[i] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.buffer[start - 1] = rest;
  }

  take(): Buffer {
    const bytes = Buffer.allocUnsafe(this.at);
    this.buffer.copy(bytes, 0, 0, this.at);
    this.at = 0;
    return bytes;
  }
}

const writer = new Writer();

/** The reply's protobuf bytes, or undefined for a value outside what this encoder covers (negative times). */
export function encodeFeaturesReply(reply: FeaturesReply): Buffer | undefined {
  writer.at = 0;
  try {
    reply.grid.forEach((values, i) => {
      writer.byte(TAG.entities);
      const start = writer.open(2);
      const id = reply.ids[i];
      if (id) {
        writer.byte(TAG.entityId);
        writer.string(id);
      }
      for (const value of values) {
        writer.byte(TAG.values);
        const valueStart = writer.open(1);
        writeValue(value);
        writer.close(valueStart, 1);
      }
      writer.close(start, 2);
    });
    return writer.take();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

function writeValue(value: FeatureValue): void {
  writer.byte(TAG.status);
  writer.varint(STATUS[value.status]);
  if (value.status === 'missing') return;
  // A oneof member is written whenever set, zero included: its presence is the value.
  if (value.kind === 'number') {
    writer.byte(TAG.numberValue);
    writer.double(value.value);
  } else {
    writer.byte(TAG.scoredItemListValue);
    const listStart = writer.open(2);
    for (const item of value.value) {
      writer.byte(TAG.items);
      const itemStart = writer.open(1);
      if (item.itemId) {
        writer.byte(TAG.itemId);
        writer.string(item.itemId);
      }
      writer.byte(TAG.score);
      writer.double(item.score);
      writer.close(itemStart, 1);
    }
    writer.close(listStart, 2);
  }
  if (value.eventTimeMs !== undefined) {
    const { seconds, nanos } = toTimestamp(value.eventTimeMs);
    writer.byte(TAG.eventTime);
    const timeStart = writer.open(1);
    if (seconds) {
      writer.byte(TAG.seconds);
      writer.varint(seconds);
    }
    if (nanos) {
      writer.byte(TAG.nanos);
      writer.varint(nanos);
    }
    writer.close(timeStart, 1);
  }
}
