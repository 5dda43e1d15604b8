import type { InputFeature } from './model-card';

/**
 * Lays callers' rows out as one model version's input: columns in the version's order, the version's
 * defaults where a caller has no value (a column it did not send, or NaN). Callers name their columns,
 * so a champion and a challenger with different schemas score the same rows, and a new version with one
 * more feature does not break a caller that does not know it yet.
 */
export class InputLayout {
  readonly width: number;
  readonly columnNames: readonly string[];
  private readonly defaults: Float32Array;
  private readonly indexByName: Map<string, number>;
  /** Per column list (joined): where each of the model's features comes from (-1: default). */
  private readonly sources = new Map<string, Int32Array>();
  private lastOwnOrder: readonly string[] | undefined;

  constructor(readonly features: readonly InputFeature[]) {
    this.width = features.length;
    this.columnNames = features.map((f) => f.name);
    this.defaults = Float32Array.from(features, (f) => f.default);
    this.indexByName = new Map(features.map((f, i) => [f.name, i]));
  }

  /** The first of `columns` the model does not take, if any (for callers that want to know). */
  unknownColumn(columns: readonly string[]): string | undefined {
    return columns.find((c) => !this.indexByName.has(c));
  }

  /**
   * `values` holds rows of `columns.length` values (`columns` undefined: of this layout's own columns).
   * Returns rows of `width` values; the input itself when it already is exactly that. `complete` (no
   * NaN anywhere, as the caller knows) skips the scan for missing values.
   */
  arrange(values: Float32Array, columns?: readonly string[], complete = false): Float32Array {
    if (columns === undefined || this.isOwnOrder(columns)) return complete ? values : this.fillMissing(values);
    const source = this.sourceOf(columns);
    const from = columns.length;
    const rows = from === 0 ? 0 : values.length / from;
    const out = new Float32Array(rows * this.width);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < this.width; j++) {
        const s = source[j]!;
        const v = s < 0 ? NaN : values[r * from + s]!;
        out[r * this.width + j] = v === v ? v : this.defaults[j]!;
      }
    }
    return out;
  }

  private isOwnOrder(columns: readonly string[]): boolean {
    // Callers pass the same array on every call: remember the last one that matched.
    if (columns === this.lastOwnOrder) return true;
    const own = columns.length === this.width && columns.every((c, i) => this.features[i]!.name === c);
    if (own) this.lastOwnOrder = columns;
    return own;
  }

  /** Replaces NaN by the column's default; copies only when there is one. */
  private fillMissing(values: Float32Array): Float32Array {
    let out = values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v !== v) {
        if (out === values) out = values.slice();
        out[i] = this.defaults[i % this.width]!;
      }
    }
    return out;
  }

  private sourceOf(columns: readonly string[]): Int32Array {
    const key = columns.join('\u0000');
    let source = this.sources.get(key);
    if (!source) {
      const position = new Map(columns.map((c, i) => [c, i]));
      source = Int32Array.from(this.features, (f) => position.get(f.name) ?? -1);
      // Callers send a handful of column lists; a caller sending endless new ones must not grow memory.
      if (this.sources.size > 64) this.sources.clear();
      this.sources.set(key, source);
    }
    return source;
  }
}
