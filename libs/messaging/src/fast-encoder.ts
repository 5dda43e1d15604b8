import type * as protobuf from 'protobufjs';

/**
 * A protobuf encoder compiled from a protobufjs Type at startup, for the one message on the hot path
 * (every accepted event is encoded once). protobufjs's own encoder queues every field as an operation on
 * a linked list and copies it out at the end; this one sizes the message, then writes it straight into a
 * Buffer with native UTF-8 writes — ~4x cheaper per event (see bench intake). It covers the field kinds
 * our messages use: strings, bools, doubles, non-negative integers, nested messages, repeated strings and
 * maps from strings to messages. Defaults of plain proto3 fields are not written (decoders restore them);
 * oneof members are written whenever set, as their presence is the value.
 */
export interface CompiledEncoder {
  /** Encodes, or returns undefined when a value is outside what it covers (the caller falls back). */
  encode(message: object): Uint8Array | undefined;
}

interface Codec {
  /** Writes the message's fields at `offset`; returns the end. */
  write(message: Record<string, unknown>, out: Out, offset: number): number;
}

class Unsupported extends Error {}

/** The scratch buffer messages are written into before being copied out at their exact size. */
interface Out {
  buffer: Buffer;
}

const ensure = (out: Out, needed: number): void => {
  if (needed > out.buffer.length) throw new Unsupported(); // larger than any event we store: fall back
};

const writeVarint = (value: number, buffer: Buffer, offset: number): number => {
  if (value < 0 || !Number.isSafeInteger(value)) throw new Unsupported();
  while (value >= 0x80) {
    buffer[offset++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  buffer[offset++] = value;
  return offset;
};

const varintSize = (value: number): number => {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
};

/**
 * Writes `write`'s bytes as a length-delimited value at `offset`: one byte is reserved for the length,
 * which covers almost every value here; a longer value is moved to make room for its length.
 */
const delimited = (out: Out, offset: number, write: (start: number) => number): number => {
  const start = offset + 1;
  const end = write(start);
  const length = end - start;
  if (length < 0x80) {
    out.buffer[offset] = length;
    return end;
  }
  const extra = varintSize(length) - 1;
  ensure(out, end + extra);
  out.buffer.copyWithin(start + extra, start, end);
  writeVarint(length, out.buffer, offset);
  return end + extra;
};

/** UTF-8 of a string; plain ASCII (ids, codes) is copied in JS, which beats a native call for short strings. */
const writeString = (value: string, out: Out, offset: number): number => {
  ensure(out, offset + value.length * 3);
  const buffer = out.buffer;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x80) return offset - i + buffer.write(value, offset - i);
    buffer[offset++] = c;
  }
  return offset;
};

const toInteger = (value: unknown): number => {
  const n = typeof value === 'string' ? Number(value) : (value as number);
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new Unsupported();
  return n;
};

const SCALARS = new Set(['string', 'bool', 'double', 'int32', 'int64', 'uint32', 'uint64']);

interface FieldPlan {
  name: string;
  tag: number;
  kind: string;
  inOneof: boolean;
  repeated: boolean;
  message?: Codec;
  mapValue?: Codec;
}

function compileType(type: protobuf.Type, cache: Map<protobuf.Type, Codec>): Codec {
  const known = cache.get(type);
  if (known) return known;
  const fields: FieldPlan[] = [];
  const codec: Codec = {
    write: (message, out, offset) => {
      for (const f of fields) {
        const value = message[f.name];
        if (value === undefined || value === null) continue;
        if (f.mapValue) {
          const entries = value as Record<string, unknown>;
          for (const key in entries) {
            offset = writeVarint(f.tag, out.buffer, offset);
            offset = delimited(out, offset, (start) => {
              out.buffer[start] = 0x0a; // key: field 1, length-delimited
              let at = delimited(out, start + 1, (s) => writeString(key, out, s));
              out.buffer[at] = 0x12; // value: field 2, length-delimited
              at = delimited(out, at + 1, (s) => f.mapValue!.write(entries[key] as Record<string, unknown>, out, s));
              return at;
            });
          }
        } else if (f.repeated) {
          for (const item of value as string[]) {
            if (typeof item !== 'string') throw new Unsupported();
            offset = writeVarint(f.tag, out.buffer, offset);
            offset = delimited(out, offset, (start) => writeString(item, out, start));
          }
        } else offset = writeField(f, value, out, offset);
      }
      return offset;
    },
  };
  cache.set(type, codec);

  function writeField(f: FieldPlan, value: unknown, out: Out, offset: number): number {
    // Plain proto3 fields at their default are left out; a oneof member is written whenever set.
    if (!f.inOneof && (value === '' || value === 0 || value === false || value === '0')) return offset;
    ensure(out, offset + 16);
    offset = writeVarint(f.tag, out.buffer, offset);
    switch (f.kind) {
      case 'string':
        if (typeof value !== 'string') throw new Unsupported();
        return delimited(out, offset, (start) => writeString(value, out, start));
      case 'bool':
        out.buffer[offset] = value ? 1 : 0;
        return offset + 1;
      case 'double':
        return out.buffer.writeDoubleLE(value as number, offset);
      case 'message':
        return delimited(out, offset, (start) => f.message!.write(value as Record<string, unknown>, out, start));
      default:
        return writeVarint(toInteger(value), out.buffer, offset);
    }
  }

  for (const field of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
    field.resolve();
    const inOneof = field.partOf !== null && field.partOf !== undefined;
    const base = { name: field.name, inOneof, repeated: false };
    if (field.map) {
      const mapField = field as unknown as protobuf.MapField;
      if (mapField.keyType !== 'string' || !mapField.resolvedType || !('fieldsArray' in mapField.resolvedType)) {
        throw new Error(`${type.name}.${field.name}: only map<string, message> is supported`);
      }
      fields.push({
        ...base,
        tag: (field.id << 3) | 2,
        kind: 'map',
        mapValue: compileType(mapField.resolvedType, cache),
      });
    } else if (field.repeated) {
      if (field.type !== 'string') throw new Error(`${type.name}.${field.name}: only repeated string is supported`);
      fields.push({ ...base, tag: (field.id << 3) | 2, kind: 'string', repeated: true });
    } else if (SCALARS.has(field.type)) {
      const wire = field.type === 'string' ? 2 : field.type === 'double' ? 1 : 0;
      fields.push({ ...base, tag: (field.id << 3) | wire, kind: field.type });
    } else if (field.resolvedType && 'fieldsArray' in field.resolvedType) {
      fields.push({
        ...base,
        tag: (field.id << 3) | 2,
        kind: 'message',
        message: compileType(field.resolvedType, cache),
      });
    } else {
      throw new Error(`${type.name}.${field.name}: type ${field.type} is not supported`);
    }
  }
  return codec;
}

/** Largest message written in one piece; anything bigger goes to protobufjs. */
const SCRATCH_BYTES = 1024 * 1024;

export function compileEncoder(type: protobuf.Type): CompiledEncoder {
  const codec = compileType(type, new Map());
  const out: Out = { buffer: Buffer.allocUnsafe(SCRATCH_BYTES) };
  return {
    encode: (message) => {
      try {
        const end = codec.write(message as Record<string, unknown>, out, 0);
        return Buffer.from(out.buffer.subarray(0, end));
      } catch (error) {
        if (error instanceof Unsupported || error instanceof RangeError) return undefined;
        throw error;
      }
    },
  };
}
