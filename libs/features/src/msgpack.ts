/**
 * MessagePack of a flat array of strings and numbers: how the apply script's operations travel, as one
 * argument that Redis's built-in `cmsgpack.unpack` turns into a Lua table in C. One argument instead of
 * ~100 saves most of ioredis's per-argument work on the write path. Numbers go as float64, which holds
 * every integer we send (epoch ms, buckets, counts) exactly.
 */
export function packArray(values: readonly (string | number)[]): Buffer {
  let size = 5;
  for (const v of values) size += typeof v === 'number' ? 9 : 5 + v.length * 3;
  const out = Buffer.allocUnsafe(size);
  let at: number;
  if (values.length < 16) {
    out[0] = 0x90 | values.length;
    at = 1;
  } else {
    out[0] = 0xdd;
    out.writeUInt32BE(values.length, 1);
    at = 5;
  }
  for (const v of values) {
    if (typeof v === 'number') {
      out[at] = 0xcb;
      out.writeDoubleBE(v, at + 1);
      at += 9;
      continue;
    }
    // Header sized for the worst case (str32), then the bytes, then the header fixed to their length.
    const bytes = out.write(v, at + 5, 'utf8');
    if (bytes < 32) {
      out[at] = 0xa0 | bytes;
      out.copyWithin(at + 1, at + 5, at + 5 + bytes);
      at += 1 + bytes;
    } else if (bytes < 256) {
      out[at] = 0xd9;
      out[at + 1] = bytes;
      out.copyWithin(at + 2, at + 5, at + 5 + bytes);
      at += 2 + bytes;
    } else {
      out[at] = 0xdb;
      out.writeUInt32BE(bytes, at + 1);
      at += 5 + bytes;
    }
  }
  return out.subarray(0, at);
}
