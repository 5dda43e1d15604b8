import { describe, expect, it } from 'vitest';

import { packArray } from './msgpack';

/** A reader of just what packArray writes, per the MessagePack spec. */
function unpack(bytes: Buffer): (string | number)[] {
  let at = 0;
  let n: number;
  if ((bytes[0]! & 0xf0) === 0x90) [n, at] = [bytes[0]! & 0x0f, 1];
  else if (bytes[0] === 0xdd) [n, at] = [bytes.readUInt32BE(1), 5];
  else throw new Error(`not an array: ${bytes[0]}`);
  const out: (string | number)[] = [];
  for (let k = 0; k < n; k++) {
    const tag = bytes[at]!;
    let length: number;
    if (tag === 0xcb) {
      out.push(bytes.readDoubleBE(at + 1));
      at += 9;
      continue;
    }
    if ((tag & 0xe0) === 0xa0) [length, at] = [tag & 0x1f, at + 1];
    else if (tag === 0xd9) [length, at] = [bytes[at + 1]!, at + 2];
    else if (tag === 0xdb) [length, at] = [bytes.readUInt32BE(at + 1), at + 5];
    else throw new Error(`unexpected tag ${tag}`);
    out.push(bytes.toString('utf8', at, at + length));
    at += length;
  }
  expect(at).toBe(bytes.length);
  return out;
}

describe('packArray', () => {
  it('writes strings of every length class, non-ASCII text and numbers as MessagePack', () => {
    const values = [
      'R',
      '',
      'x'.repeat(31),
      'y'.repeat(32),
      'z'.repeat(255),
      'w'.repeat(256),
      'категория ✓',
      0,
      -1.5,
      1_764_115_200_123,
      2 ** 53 - 1,
    ];
    expect(unpack(packArray(values))).toEqual(values);
  });

  it('uses a fixarray header for short lists and array32 for long ones', () => {
    expect(unpack(packArray(['a', 1]))).toEqual(['a', 1]);
    const long = Array.from({ length: 70_000 }, (_, i) => (i % 2 ? i : `k${i}`));
    expect(unpack(packArray(long))).toEqual(long);
  });
});
