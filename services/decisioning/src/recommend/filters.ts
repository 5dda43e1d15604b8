import type { ItemAttributes } from './recommend';
import type { HistoryExclusion } from './rules';

/**
 * What a Recommend leaves out before any candidate is read: the caller's exclusions, the item on the page,
 * and the user's history as the surface wants it: everything seen (the default), only what was bought
 * (a "recently viewed" strip shows viewed items again), or nothing (a re-order page).
 */
export function excludedItems(
  exclude: Iterable<string>,
  currentItemId: string | undefined,
  history: { items: readonly string[]; bought: readonly string[] },
  historyExclusion: HistoryExclusion
): Set<string> {
  const excluded = new Set(exclude);
  if (currentItemId !== undefined) excluded.add(currentItemId);
  if (historyExclusion === 'seen') for (const item of history.items) excluded.add(item);
  if (historyExclusion !== 'nothing') for (const item of history.bought) excluded.add(item);
  return excluded;
}

/** An item can be recommended unless the catalog says it is unavailable or out of stock. */
export function isAvailable(attributes: ItemAttributes | undefined): boolean {
  return attributes?.available !== false && attributes?.stock !== 0;
}
