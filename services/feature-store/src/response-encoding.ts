import type { ServiceDefinition } from '@grpc/grpc-js';

import type { FeatureValue, GetFeaturesResponse } from '@dmp/grpc';

/**
 * GetFeatures replies are the feature store's bulk: 100 entities x 20 values, lists of 50 scored items
 * among them, are 10^4 small messages per call. protobufjs first copies the reply into its own message
 * objects, then queues every field as an operation before copying bytes out; this writes the same
 * message straight into a reused buffer. Replies it does not cover (an item_list_value, 64-bit Long
 * seconds, negative seconds) go to protobufjs.
 */
export function withDirectGetFeaturesEncoding(service: ServiceDefinition): ServiceDefinition {
  const method = service['GetFeatures'];
  if (!method) throw new Error('FeatureStoreService has no GetFeatures method');
  const fallback = method.responseSerialize;
  return {
    ...service,
    GetFeatures: {
      ...method,
      responseSerialize: (response: GetFeaturesResponse) => encodeGetFeaturesResponse(response) ?? fallback(response),
    },
  };
}

const STATUS: Record<string, number> = {
  FEATURE_STATUS_UNSPECIFIED: 0,
  FEATURE_STATUS_PRESENT: 1,
  FEATURE_STATUS_MISSING: 2,
  FEATURE_STATUS_STALE: 3,
};

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
  at = 0;

  room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(larger, 0, 0, this.at);
    this.buffer = larger;
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
    this.at = this.buffer.writeDoubleLE(value, this.at);
  }

  string(text: string): void {
    const start = this.open(1);
    this.room(text.length * 3);
    this.at += this.buffer.write(text, this.at, 'utf8');
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

/** The reply's protobuf bytes, or undefined for a reply outside what this encoder covers. */
export function encodeGetFeaturesResponse(response: GetFeaturesResponse): Buffer | undefined {
  writer.at = 0;
  try {
    for (const entity of response.entities ?? []) {
      writer.byte(TAG.entities);
      const start = writer.open(2);
      if (entity.entityId) {
        writer.byte(TAG.entityId);
        writer.string(entity.entityId);
      }
      for (const value of entity.values ?? []) {
        writer.byte(TAG.values);
        const valueStart = writer.open(1);
        writeValue(value);
        writer.close(valueStart, 1);
      }
      writer.close(start, 2);
    }
    return writer.take();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

function writeValue(value: FeatureValue): void {
  const status = typeof value.status === 'string' ? STATUS[value.status] : value.status;
  if (status === undefined && value.status !== undefined) throw new Unsupported();
  if (status) {
    writer.byte(TAG.status);
    writer.varint(status);
  }
  if (value.itemListValue) throw new Unsupported();
  // A oneof member is written whenever set, zero included: its presence is the value.
  if (value.numberValue !== undefined && value.numberValue !== null) {
    if (typeof value.numberValue !== 'number') throw new Unsupported();
    writer.byte(TAG.numberValue);
    writer.double(value.numberValue);
  } else if (value.scoredItemListValue) {
    writer.byte(TAG.scoredItemListValue);
    const listStart = writer.open(2);
    for (const item of value.scoredItemListValue.items ?? []) {
      writer.byte(TAG.items);
      const itemStart = writer.open(1);
      if (item.itemId) {
        writer.byte(TAG.itemId);
        writer.string(item.itemId);
      }
      if (item.score !== undefined) {
        if (typeof item.score !== 'number') throw new Unsupported();
        writer.byte(TAG.score);
        writer.double(item.score);
      }
      writer.close(itemStart, 1);
    }
    writer.close(listStart, 2);
  }
  if (value.eventTime) {
    const { seconds, nanos } = value.eventTime;
    if (typeof seconds === 'object') throw new Unsupported(); // a Long
    writer.byte(TAG.eventTime);
    const timeStart = writer.open(1);
    const s = Number(seconds ?? 0);
    if (s) {
      writer.byte(TAG.seconds);
      writer.varint(s);
    }
    if (nanos) {
      writer.byte(TAG.nanos);
      writer.varint(nanos);
    }
    writer.close(timeStart, 1);
  }
}
