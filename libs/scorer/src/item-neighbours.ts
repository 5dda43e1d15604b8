/**
 * An item-to-item table a model version serves with (a card artifact): for each item, the items it points
 * to and a weight, as the trainer fitted them on the tenant's interactions: EASE^R's weights, or item-kNN
 * similarities. A user's score for an item is the sum of the weights from the items of their history to it,
 * which is exactly how those models score; the table keeps each item's largest weights by magnitude
 * (negative ones included: EASE^R's say "not with this one"), all of them when the catalog is small.
 *
 * The bytes, little-endian (services/trainer writes them, numpy `tofile`):
 *
 * | bytes            | holds                                                                         |
 * |------------------|-------------------------------------------------------------------------------|
 * | 8                | magic `DMPNBRS1`                                                              |
 * | 4                | u32 header length h                                                           |
 * | h                | header, UTF-8 JSON: `{"kind": "ease", "items": n, "entries": m, "idsBytes": L, …}` |
 * | L                | the item ids, UTF-8, separated by "\n" (index i is the i-th id)               |
 * | 0–3              | zeros, up to a multiple of 4 from the start                                   |
 * | 4 (n + 1)        | u32 offsets: item i's entries are [offsets[i], offsets[i + 1])                 |
 * | 4 m              | u32 the entries' target items                                                 |
 * | 4 m              | f32 the entries' weights                                                      |
 */
export interface NeighbourTableHeader {
  kind: string;
  items: number;
  entries: number;
  idsBytes: number;
  [extra: string]: unknown;
}

const MAGIC = 'DMPNBRS1';

export class NeighbourTableError extends Error {}

export class ItemNeighbours {
  private constructor(
    readonly header: NeighbourTableHeader,
    readonly itemIds: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
    private readonly offsets: Uint32Array,
    private readonly targets: Uint32Array,
    private readonly weights: Float32Array
  ) {}

  get size(): number {
    return this.itemIds.length;
  }

  indexOf(itemId: string): number | undefined {
    return this.index.get(itemId);
  }

  /** Reads and checks a table (every offset and target in range: a bad file is refused, never half-used). */
  static parse(input: Uint8Array): ItemNeighbours {
    // A copy aligned at 0: typed array views need their byte offset to be a multiple of 4.
    const bytes = input.byteOffset % 4 === 0 ? input : input.slice();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const fail = (problem: string): never => {
      throw new NeighbourTableError(`item neighbour table: ${problem}`);
    };
    if (bytes.byteLength < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) fail('not a DMPNBRS1 file');
    const headerLength = view.getUint32(8, true);
    if (12 + headerLength > bytes.byteLength) fail('truncated header');
    let header: NeighbourTableHeader;
    try {
      header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as NeighbourTableHeader;
    } catch {
      return fail('its header is not JSON');
    }
    const { items, entries, idsBytes } = header;
    for (const [name, value] of Object.entries({ items, entries, idsBytes })) {
      if (!Number.isInteger(value) || value < 0) fail(`header.${name} must be a whole number`);
    }
    if (typeof header.kind !== 'string') fail('header.kind must be a string');
    let at = 12 + headerLength;
    const ids = idsBytes === 0 ? [] : new TextDecoder().decode(bytes.subarray(at, at + idsBytes)).split('\n');
    if (ids.length !== items) fail(`${ids.length} item ids for ${items} items`);
    at += idsBytes;
    at += (4 - (at % 4)) % 4;
    if (at + 4 * (items + 1) + 8 * entries !== bytes.byteLength)
      fail(`${bytes.byteLength} bytes, expected ${at + 4 * (items + 1) + 8 * entries}`);
    const offsets = new Uint32Array(bytes.buffer, bytes.byteOffset + at, items + 1);
    at += 4 * (items + 1);
    const targets = new Uint32Array(bytes.buffer, bytes.byteOffset + at, entries);
    at += 4 * entries;
    const weights = new Float32Array(bytes.buffer, bytes.byteOffset + at, entries);
    if (offsets[0] !== 0 || offsets[items] !== entries) fail('offsets must run from 0 to the number of entries');
    for (let i = 0; i < items; i++) if (offsets[i]! > offsets[i + 1]!) fail(`offsets decrease at item ${i}`);
    for (let e = 0; e < entries; e++) {
      if (targets[e]! >= items) fail(`entry ${e} points to item ${targets[e]} of ${items}`);
      if (!Number.isFinite(weights[e]!)) fail(`entry ${e} has a weight of ${weights[e]}`);
    }
    const index = new Map<string, number>();
    ids.forEach((id, i) => index.set(id, i));
    if (index.size !== items) fail('an item id is listed twice');
    return new ItemNeighbours(header, ids, index, offsets, targets, weights);
  }

  /**
   * Adds to `scores[i]` (one per item of the table) the weights from each of `history`'s items (indexes in
   * this table) to item i. With `strongest` and `from`, also keeps per item its largest single weight and
   * the history item it came from: the "because you used X" of the answer.
   */
  accumulate(history: readonly number[], scores: Float32Array, strongest?: Float32Array, from?: Int32Array): void {
    const { offsets, targets, weights } = this;
    for (const j of history) {
      const end = offsets[j + 1]!;
      if (strongest && from) {
        for (let e = offsets[j]!; e < end; e++) {
          const i = targets[e]!;
          const w = weights[e]!;
          scores[i]! += w;
          if (w > strongest[i]!) {
            strongest[i] = w;
            from[i] = j;
          }
        }
      } else {
        for (let e = offsets[j]!; e < end; e++) scores[targets[e]!]! += weights[e]!;
      }
    }
  }
}

/** Writes a table in the format above (tests, and tools that make tables in TypeScript). */
export function encodeItemNeighbours(
  kind: string,
  rows: ReadonlyMap<string, readonly { itemId: string; weight: number }[]>,
  extra: Record<string, unknown> = {}
): Uint8Array {
  const ids = [...new Set([...rows.keys(), ...[...rows.values()].flatMap((r) => r.map((e) => e.itemId))])];
  const index = new Map(ids.map((id, i) => [id, i]));
  const offsets = new Uint32Array(ids.length + 1);
  const targets: number[] = [];
  const weights: number[] = [];
  ids.forEach((id, i) => {
    for (const { itemId, weight } of rows.get(id) ?? []) {
      targets.push(index.get(itemId)!);
      weights.push(weight);
    }
    offsets[i + 1] = targets.length;
  });
  const idBytes = new TextEncoder().encode(ids.join('\n'));
  const header = new TextEncoder().encode(
    JSON.stringify({ kind, items: ids.length, entries: targets.length, idsBytes: idBytes.length, ...extra })
  );
  let size = 12 + header.length + idBytes.length;
  const pad = (4 - (size % 4)) % 4;
  size += pad + 4 * offsets.length + 8 * targets.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, header.length, true);
  out.set(header, 12);
  out.set(idBytes, 12 + header.length);
  let at = 12 + header.length + idBytes.length + pad;
  const put = (write: (value: number) => void, values: Iterable<number>): void => {
    for (const value of values) {
      write(value);
      at += 4;
    }
  };
  put((o) => view.setUint32(at, o, true), offsets);
  put((t) => view.setUint32(at, t, true), targets);
  put((w) => view.setFloat32(at, w, true), weights);
  return out;
}
