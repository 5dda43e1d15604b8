/**
 * Interaction logs for offline evaluation: `user,item,timestamp[,value]` CSV (an optional header line;
 * timestamps in Unix seconds, milliseconds or ISO 8601), and the splits into what is replayed (train) and
 * what Recommend is judged against (test).
 */
export interface Interaction {
  user: string;
  item: string;
  atMs: number;
  value?: number;
}

/** A CSV line that cannot be read; the message names the line. */
export class InteractionsError extends Error {}

export function parseInteractions(text: string, source = 'interactions'): Interaction[] {
  const out: Interaction[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    if (i === 0 && Number.isNaN(timestampMs(cells[2] ?? ''))) return; // a header
    if (cells.length < 3) throw new InteractionsError(`${source}:${i + 1}: expected user,item,timestamp[,value]`);
    const [user, item, time, value] = cells;
    const atMs = timestampMs(time!);
    if (!user || !item || Number.isNaN(atMs)) {
      throw new InteractionsError(
        `${source}:${i + 1}: expected user,item,timestamp[,value], got "${line.slice(0, 80)}"`
      );
    }
    const interaction: Interaction = { user, item, atMs };
    if (value !== undefined && value !== '') {
      const v = Number(value);
      if (!Number.isFinite(v)) throw new InteractionsError(`${source}:${i + 1}: value "${value}" is not a number`);
      interaction.value = v;
    }
    out.push(interaction);
  });
  return out;
}

/** Unix seconds (< 1e11), Unix milliseconds, or an ISO 8601 date; NaN otherwise. */
export function timestampMs(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  }
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
}

export interface Split {
  train: Interaction[];
  /** Per test user, the items to find: seen in the test part, never in the user's training part. */
  truth: Map<string, Set<string>>;
}

/** Everything after the `testFraction` quantile of time is test (no peeking into the future). */
export function temporalSplit(interactions: Interaction[], testFraction: number): Split {
  const sorted = [...interactions].sort((a, b) => a.atMs - b.atMs);
  const cut = Math.floor(sorted.length * (1 - testFraction));
  return fromParts(sorted.slice(0, cut), sorted.slice(cut));
}

/** Each user's last interaction (by time) is test, for users with at least two. */
export function leaveLastOut(interactions: Interaction[]): Split {
  const byUser = new Map<string, Interaction[]>();
  for (const i of interactions) byUser.set(i.user, [...(byUser.get(i.user) ?? []), i]);
  const train: Interaction[] = [];
  const test: Interaction[] = [];
  for (const list of byUser.values()) {
    list.sort((a, b) => a.atMs - b.atMs);
    if (list.length < 2) train.push(...list);
    else {
      train.push(...list.slice(0, -1));
      test.push(list.at(-1)!);
    }
  }
  return fromParts(train, test);
}

/** A given pair: test users are those with training history (a cold user cannot be judged on history). */
export function fromParts(train: Interaction[], test: Interaction[]): Split {
  const seen = new Map<string, Set<string>>();
  for (const i of train) {
    let items = seen.get(i.user);
    if (!items) seen.set(i.user, (items = new Set()));
    items.add(i.item);
  }
  const truth = new Map<string, Set<string>>();
  for (const i of test) {
    const history = seen.get(i.user);
    if (!history || history.has(i.item)) continue;
    let items = truth.get(i.user);
    if (!items) truth.set(i.user, (items = new Set()));
    items.add(i.item);
  }
  return { train: [...train].sort((a, b) => a.atMs - b.atMs), truth };
}

/** The split without the test items no training interaction names (and without users left with none). */
export function withoutUnseenItems(split: Split): Split {
  const known = new Set(split.train.map((i) => i.item));
  const truth = new Map<string, Set<string>>();
  for (const [user, items] of split.truth) {
    const kept = new Set([...items].filter((item) => known.has(item)));
    if (kept.size > 0) truth.set(user, kept);
  }
  return { train: split.train, truth };
}
