/**
 * Item-kNN over interactions: two items are similar when the same users used both. Similarity is the
 * cosine of the items' user sets, |U(a) ∩ U(b)| / sqrt(|U(a)| · |U(b)|), damped for small overlaps by
 * c / (c + shrink) (an overlap of two users says little, whatever its cosine), and only pairs sharing at
 * least `minCommonUsers` count. Each item keeps its `neighbours` most similar items.
 *
 * Memory grows with the pairs one user's items make, so only a user's `maxItemsPerUser` latest distinct
 * items count: a crawler or a reseller who touched everything would otherwise link every item to every other.
 */
export interface KnnOptions {
  neighbours: number;
  minCommonUsers: number;
  maxItemsPerUser: number;
  shrink: number;
}

export const DEFAULT_KNN: KnnOptions = { neighbours: 50, minCommonUsers: 2, maxItemsPerUser: 100, shrink: 5 };

export interface Neighbour {
  itemId: string;
  score: number;
}

export interface ItemNeighbours {
  itemId: string;
  neighbours: Neighbour[];
}

/** Collects (user, item) interactions in the order they happened. */
export class InteractionMatrix {
  private readonly itemIndex = new Map<string, number>();
  readonly itemIds: string[] = [];
  /** Per user, item indexes, oldest first, each at most once (a repeat moves it to the end). */
  private readonly users = new Map<string, number[]>();

  add(userId: string, itemId: string): void {
    let item = this.itemIndex.get(itemId);
    if (item === undefined) {
      item = this.itemIds.length;
      this.itemIndex.set(itemId, item);
      this.itemIds.push(itemId);
    }
    let items = this.users.get(userId);
    if (!items) this.users.set(userId, (items = []));
    const at = items.lastIndexOf(item);
    if (at >= 0) items.splice(at, 1);
    items.push(item);
  }

  get userCount(): number {
    return this.users.size;
  }

  /** Each user's latest `limit` distinct items. */
  *itemsPerUser(limit: number): Iterable<readonly number[]> {
    for (const items of this.users.values()) yield items.length > limit ? items.slice(-limit) : items;
  }
}

/** Every item's most similar items, best first (items without any neighbour are left out). */
export function itemKnn(matrix: InteractionMatrix, options: KnnOptions = DEFAULT_KNN): ItemNeighbours[] {
  const itemCount = matrix.itemIds.length;
  const users = new Float64Array(itemCount);
  // Per item, co-occurring item → number of users with both (both directions: top-k reads one map).
  const common = new Array<Map<number, number> | undefined>(itemCount);
  for (const items of matrix.itemsPerUser(options.maxItemsPerUser)) {
    for (let i = 0; i < items.length; i++) {
      const a = items[i]!;
      users[a]! += 1;
      let row = common[a];
      if (!row) common[a] = row = new Map();
      for (let j = 0; j < items.length; j++) {
        if (j === i) continue;
        const b = items[j]!;
        row.set(b, (row.get(b) ?? 0) + 1);
      }
    }
  }
  const out: ItemNeighbours[] = [];
  for (let a = 0; a < itemCount; a++) {
    const row = common[a];
    if (!row) continue;
    const neighbours: Neighbour[] = [];
    for (const [b, c] of row) {
      if (c < options.minCommonUsers) continue;
      const cosine = c / Math.sqrt(users[a]! * users[b]!);
      neighbours.push({ itemId: matrix.itemIds[b]!, score: cosine * (c / (c + options.shrink)) });
    }
    if (neighbours.length === 0) continue;
    neighbours.sort((x, y) => y.score - x.score || (x.itemId < y.itemId ? -1 : 1));
    if (neighbours.length > options.neighbours) neighbours.length = options.neighbours;
    out.push({ itemId: matrix.itemIds[a]!, neighbours });
  }
  return out;
}
