import { InvalidArgumentError } from '@dmp/runtime';

/**
 * A tenant's business rules for recommendations, kept as data in the NATS KV bucket `dmp_recommend_rules`
 * (key: the tenant id) and followed live by every replica:
 *
 * ```json
 * { "blockedCategories": ["tobacco", "adult/"], "maxPerCategory": 3,
 *   "surfaces": { "recently-viewed": { "exclude": "bought" }, "reorder": { "exclude": "nothing" } } }
 * ```
 *
 * - `blockedCategories`: category paths never recommended; "a" blocks "a" and everything under "a/".
 * - `maxPerCategory`: diversity, at most this many items of one category in an answer (0 or absent: no cap).
 * - `surfaces.<surface>.exclude`: which of the user's items that surface leaves out: `seen` (everything the
 *   user interacted with; the default), `bought` (only purchases: viewed items may come back), or `nothing`
 *   (e.g. a page for repeat purchases).
 */
export interface RecommendRules {
  blockedCategories: string[];
  maxPerCategory: number;
  surfaces: Record<string, { exclude: HistoryExclusion }>;
}

export type HistoryExclusion = 'seen' | 'bought' | 'nothing';
const HISTORY_EXCLUSIONS: readonly HistoryExclusion[] = ['seen', 'bought', 'nothing'];

/** Which of the user's items a surface leaves out. */
export function historyExclusion(rules: RecommendRules, surface: string | undefined): HistoryExclusion {
  return rules.surfaces[surface ?? '']?.exclude ?? 'seen';
}

export const RULES_BUCKET = 'dmp_recommend_rules';

/** Where the rules are kept: read on every call, written by PutRecommendRules. */
export interface RulesStore {
  get(tenantId: string): RecommendRules;
  /** Resolves once this replica follows the new rules. */
  put(tenantId: string, rules: RecommendRules): Promise<void>;
}

export const NO_RULES: RecommendRules = { blockedCategories: [], maxPerCategory: 0, surfaces: {} };

const MAX_BLOCKED = 1_000;
const SURFACE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Checks an untrusted rules document; a bad field throws InvalidArgumentError naming it. */
export function parseRules(raw: unknown): RecommendRules {
  const doc = object(raw, 'rules');
  for (const key of Object.keys(doc)) {
    if (!['blockedCategories', 'maxPerCategory', 'surfaces'].includes(key)) {
      throw new InvalidArgumentError(key, 'is not a rule (blockedCategories, maxPerCategory, surfaces)');
    }
  }
  const blocked = doc['blockedCategories'] ?? [];
  if (!Array.isArray(blocked) || blocked.length > MAX_BLOCKED) {
    throw new InvalidArgumentError('blockedCategories', `must be a list of at most ${MAX_BLOCKED} category paths`);
  }
  blocked.forEach((c, i) => {
    if (typeof c !== 'string' || c.replace(/\/$/, '') === '' || c.length > 512) {
      throw new InvalidArgumentError(`blockedCategories[${i}]`, 'must be a category path of 1-512 characters');
    }
  });
  const max = doc['maxPerCategory'] ?? 0;
  if (!Number.isInteger(max) || (max as number) < 0 || (max as number) > 100) {
    throw new InvalidArgumentError('maxPerCategory', 'must be a whole number from 0 (no cap) to 100');
  }
  const surfaces: RecommendRules['surfaces'] = {};
  for (const [name, value] of Object.entries(object(doc['surfaces'] ?? {}, 'surfaces'))) {
    if (!SURFACE.test(name)) throw new InvalidArgumentError(`surfaces.${name}`, `must match ${SURFACE.source}`);
    const surface = object(value, `surfaces.${name}`);
    for (const key of Object.keys(surface)) {
      if (key !== 'exclude')
        throw new InvalidArgumentError(`surfaces.${name}.${key}`, 'is not a surface rule (exclude)');
    }
    const exclude = surface['exclude'] ?? 'seen';
    if (!HISTORY_EXCLUSIONS.includes(exclude as HistoryExclusion)) {
      throw new InvalidArgumentError(`surfaces.${name}.exclude`, `must be one of ${HISTORY_EXCLUSIONS.join(', ')}`);
    }
    surfaces[name] = { exclude: exclude as HistoryExclusion };
  }
  return {
    blockedCategories: (blocked as string[]).map((c) => c.replace(/\/$/, '')),
    maxPerCategory: max as number,
    surfaces,
  };
}

/** Whether a category path is blocked: itself or under a blocked one. */
export function isBlocked(rules: RecommendRules, category: string | undefined): boolean {
  if (category === undefined || rules.blockedCategories.length === 0) return false;
  return rules.blockedCategories.some((b) => category === b || category.startsWith(`${b}/`));
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(field, 'must be an object');
  }
  return value as Record<string, unknown>;
}
