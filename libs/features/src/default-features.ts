import { parseFeatureSet, type FeatureSet } from './definitions';

/** Event types that say a user used an item: what popularity, co-occurrence and similarity count. */
export const INTERACTION_EVENTS = ['view', 'add_to_cart', 'purchase', 'play_start', 'play_complete', 'click'];
const INTERACTIONS = INTERACTION_EVENTS;

/**
 * The features every tenant has. Recommend and NextContent rely on the first group (RECOMMEND_FEATURES);
 * the rest are the default profile of users and items. A tenant adds its own with
 * `dmp features put`; names may not clash with these.
 */
export const DEFAULT_FEATURES: FeatureSet = parseFeatureSet({
  version: 1,
  features: [
    // Recommend's candidate sources.
    {
      name: 'user.recent_items',
      events: INTERACTIONS,
      aggregation: { kind: 'last_n', n: 50 },
      description: 'The user’s most recent distinct items, newest first, with when.',
    },
    {
      name: 'user.history',
      events: INTERACTIONS,
      aggregation: { kind: 'item_set', max: 1_000 },
      ttl: '365d',
      description:
        'Every distinct item the user interacted with, the newest 1,000, kept a year after the last: what "seen" ' +
        'means, and the seeds of the trained candidates.',
    },
    {
      name: 'tenant.popular_items',
      events: INTERACTIONS,
      aggregation: { kind: 'top_items', top: 10_000 },
      description: 'Items by interactions of all users (all time).',
    },
    {
      name: 'item.also_used',
      events: INTERACTIONS,
      aggregation: { kind: 'cooccurrence', recent: 20, top: 300 },
      description: 'Items used by the same users, by the number of such users.',
    },
    {
      name: 'user.purchased',
      events: ['purchase'],
      aggregation: { kind: 'last_n', n: 100 },
      description: 'What the user bought, newest first: surfaces that show what was seen again still leave these out.',
    },
    {
      name: 'tenant.trending_items',
      events: INTERACTIONS,
      aggregation: { kind: 'top_items', halfLife: '3h', top: 1_000 },
      description: 'Items by interactions of the last hours (half-life 3 h): what is hot now.',
    },
    // NextContent's: what each viewer finished, and what viewers watched right after each item.
    {
      name: 'user.completed',
      events: ['play_complete'],
      aggregation: { kind: 'last_n', n: 100 },
      description: 'Content the user watched to the end, newest first.',
    },
    {
      name: 'item.watched_next',
      events: ['play_start'],
      aggregation: { kind: 'cooccurrence', recent: 3, top: 100, directed: true },
      description: 'What viewers started right after this item (among their 3 previous), by number of viewers.',
    },
    // Users.
    { name: 'user.views_1h', events: ['view'], aggregation: { kind: 'count', window: '1h' } },
    { name: 'user.views_24h', events: ['view'], aggregation: { kind: 'count', window: '24h' } },
    { name: 'user.views_7d', events: ['view'], aggregation: { kind: 'count', window: '7d' } },
    { name: 'user.purchases_30d', events: ['purchase'], aggregation: { kind: 'count', window: '30d' } },
    {
      name: 'user.revenue_30d',
      events: ['purchase'],
      aggregation: { kind: 'sum', property: 'revenue', window: '30d' },
    },
    { name: 'user.last_seen', events: ['*'], aggregation: { kind: 'last_seen' } },
    {
      name: 'user.distinct_items_7d',
      events: INTERACTIONS,
      aggregation: { kind: 'distinct_count', of: 'item', window: '7d' },
    },
    {
      name: 'user.category_affinity',
      events: INTERACTIONS,
      aggregation: { kind: 'decayed_count', by: 'category', halfLife: '7d', top: 20 },
    },
    { name: 'user.impressions_7d', events: ['impression'], aggregation: { kind: 'count', window: '7d' } },
    { name: 'user.clicks_7d', events: ['click'], aggregation: { kind: 'count', window: '7d' } },
    {
      name: 'user.ctr_7d',
      aggregation: { kind: 'ratio', numerator: 'user.clicks_7d', denominator: 'user.impressions_7d' },
    },
    // Items.
    { name: 'item.interactions', events: INTERACTIONS, aggregation: { kind: 'count', window: 'all' } },
    { name: 'item.interactions_24h', events: INTERACTIONS, aggregation: { kind: 'count', window: '24h' } },
    { name: 'item.interactions_30d', events: INTERACTIONS, aggregation: { kind: 'count', window: '30d' } },
    { name: 'item.purchases_7d', events: ['purchase'], aggregation: { kind: 'count', window: '7d' } },
    { name: 'item.last_seen', events: INTERACTIONS, aggregation: { kind: 'last_seen' } },
    {
      name: 'item.distinct_users_30d',
      events: INTERACTIONS,
      aggregation: { kind: 'distinct_count', of: 'user', window: '30d' },
    },
    { name: 'item.impressions_7d', events: ['impression'], aggregation: { kind: 'count', window: '7d' } },
    { name: 'item.clicks_7d', events: ['click'], aggregation: { kind: 'count', window: '7d' } },
    {
      name: 'item.ctr_7d',
      aggregation: { kind: 'ratio', numerator: 'item.clicks_7d', denominator: 'item.impressions_7d' },
    },
    { name: 'item.trending', events: INTERACTIONS, aggregation: { kind: 'trending', short: '1h', long: '7d' } },
    // Categories.
    { name: 'category.popular_7d', events: INTERACTIONS, aggregation: { kind: 'top_items', halfLife: '7d', top: 500 } },
    { name: 'user_category.views_30d', events: ['view'], aggregation: { kind: 'count', window: '30d' } },
  ],
});

/** The features Recommend and NextContent read for candidates; they are in every tenant's set. */
export const RECOMMEND_FEATURES = {
  recentItems: 'user.recent_items',
  history: 'user.history',
  popularItems: 'tenant.popular_items',
  alsoUsed: 'item.also_used',
  completed: 'user.completed',
  watchedNext: 'item.watched_next',
  categoryPopular: 'category.popular_7d',
  purchased: 'user.purchased',
  trending: 'tenant.trending_items',
  categoryAffinity: 'user.category_affinity',
} as const;
