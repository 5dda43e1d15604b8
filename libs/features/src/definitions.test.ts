import { describe, expect, it } from 'vitest';

import { DEFAULT_FEATURES, featureSetDocument, FeatureSetError, parseFeatureSet } from './index';

const count = { name: 'user.plays_24h', events: ['play_start'], aggregation: { kind: 'count', window: '24h' } };

/** The error a document gets, as "path: problem". */
function rejection(doc: unknown): string {
  try {
    parseFeatureSet(doc, DEFAULT_FEATURES.features);
  } catch (error) {
    expect(error).toBeInstanceOf(FeatureSetError);
    return (error as Error).message;
  }
  throw new Error('the document was accepted');
}

describe('parseFeatureSet', () => {
  it('accepts a valid set and fills in what is implied (entity, default TTL)', () => {
    const set = parseFeatureSet(
      {
        version: 3,
        features: [
          count,
          {
            name: 'item.tv_plays_7d',
            events: ['play_start'],
            where: [{ path: 'context.device.type', op: 'eq', value: 'tv' }],
            aggregation: { kind: 'count', window: '7d' },
            ttl: '30d',
            staleAfter: '1h',
          },
          {
            name: 'user.play_ctr',
            aggregation: { kind: 'ratio', numerator: 'user.clicks_7d', denominator: 'user.plays_24h' },
          },
        ],
      },
      DEFAULT_FEATURES.features
    );
    expect(set.version).toBe(3);
    expect(set.features[0]).toMatchObject({ name: 'user.plays_24h', entity: 'user', ttlSeconds: 90 * 86_400 });
    expect(set.features[1]).toMatchObject({ entity: 'item', ttlSeconds: 30 * 86_400, staleAfterSeconds: 3_600 });
    expect(set.features[2]!.events).toEqual([]);
  });

  it('reads back what it writes: the default set as a document parses to itself', () => {
    expect(parseFeatureSet(featureSetDocument(DEFAULT_FEATURES))).toEqual(DEFAULT_FEATURES);
  });

  it.each([
    ['not an object', [], '(document): must be a JSON object'],
    ['unknown top-level key', { version: 1, features: [], extra: 1 }, 'extra: is not a known key'],
    ['no version', { features: [] }, 'version: must be a positive integer'],
    ['features not a list', { version: 1, features: {} }, 'features: must be an array'],
    [
      'bad name',
      { version: 1, features: [{ ...count, name: 'Plays' }] },
      'features[0].name: must be "<entity>.<snake_case>"',
    ],
    [
      'entity contradicting the name',
      { version: 1, features: [{ ...count, entity: 'item' }] },
      'features[0].name: must start with "item."',
    ],
    [
      'redefining a default',
      { version: 1, features: [{ ...count, name: 'user.views_24h' }] },
      'features[0].name: "user.views_24h" is a default feature',
    ],
    ['defined twice', { version: 1, features: [count, count] }, 'features[1].name: "user.plays_24h" is defined twice'],
    [
      'no events',
      { version: 1, features: [{ ...count, events: [] }] },
      'features[0].events: must be a non-empty array',
    ],
    ['bad event type', { version: 1, features: [{ ...count, events: ['Play Start'] }] }, 'features[0].events'],
    [
      'a window that does not exist',
      { version: 1, features: [{ ...count, aggregation: { kind: 'count', window: '2h' } }] },
      'features[0].aggregation.window: must be one of 1h, 24h, 7d, 30d, all',
    ],
    [
      'an unknown aggregation',
      { version: 1, features: [{ ...count, aggregation: { kind: 'median' } }] },
      'features[0].aggregation.kind: must be one of count, sum',
    ],
    [
      'a misplaced key (window outside the aggregation)',
      { version: 1, features: [{ ...count, window: '24h' }] },
      'features[0].window: is not a known key',
    ],
    [
      'a key the aggregation does not take',
      { version: 1, features: [{ ...count, aggregation: { kind: 'count', window: '24h', top: 5 } }] },
      'features[0].aggregation.top: is not a known key',
    ],
    [
      'sum without a property',
      { version: 1, features: [{ ...count, aggregation: { kind: 'sum', window: '24h' } }] },
      'features[0].aggregation.property: must name an event property',
    ],
    [
      'an aggregation on the wrong entity',
      { version: 1, features: [{ ...count, name: 'item.also', aggregation: { kind: 'last_n', n: 5 } }] },
      'features[0].aggregation.kind: "last_n" applies to user or user_category or category features',
    ],
    [
      'last_n out of range',
      { version: 1, features: [{ ...count, aggregation: { kind: 'last_n', n: 5_000 } }] },
      'features[0].aggregation.n: must be a whole number from 1 to 500',
    ],
    [
      'an item set of items',
      { version: 1, features: [{ ...count, name: 'item.users', aggregation: { kind: 'item_set' } }] },
      'features[0].aggregation.kind: "item_set" applies to user features',
    ],
    [
      'an item set too large',
      { version: 1, features: [{ ...count, aggregation: { kind: 'item_set', max: 50_000 } }] },
      'features[0].aggregation.max: must be a whole number from 1 to 5000',
    ],
    [
      'trending with the short window longer',
      {
        version: 1,
        features: [{ ...count, name: 'item.t', aggregation: { kind: 'trending', short: '7d', long: '24h' } }],
      },
      'features[0].aggregation.short: must be shorter than long',
    ],
    [
      'co-occurrence directed by something else than a boolean',
      {
        version: 1,
        features: [{ ...count, name: 'item.n', aggregation: { kind: 'cooccurrence', directed: 'yes' } }],
      },
      'features[0].aggregation.directed: must be true or false',
    ],
    [
      'a ratio of an unknown feature',
      {
        version: 1,
        features: [
          { name: 'user.r', aggregation: { kind: 'ratio', numerator: 'user.nope', denominator: 'user.clicks_7d' } },
        ],
      },
      'features[0].aggregation.numerator: no feature named "user.nope"',
    ],
    [
      'a ratio across entities',
      {
        version: 1,
        features: [
          {
            name: 'user.r',
            aggregation: { kind: 'ratio', numerator: 'item.clicks_7d', denominator: 'user.clicks_7d' },
          },
        ],
      },
      'features[0].aggregation.numerator: "item.clicks_7d" describes item, not user',
    ],
    [
      'a ratio of a list',
      {
        version: 1,
        features: [
          {
            name: 'user.r',
            aggregation: { kind: 'ratio', numerator: 'user.recent_items', denominator: 'user.clicks_7d' },
          },
        ],
      },
      'features[0].aggregation.numerator: "user.recent_items" is not a count, sum or distinct count',
    ],
    [
      'a condition on an unknown path',
      { version: 1, features: [{ ...count, where: [{ path: 'context.ip', op: 'eq', value: 'x' }] }] },
      'features[0].where[0].path',
    ],
    [
      'a numeric comparison with a string',
      { version: 1, features: [{ ...count, where: [{ path: 'properties.price', op: 'gt', value: 'ten' }] }] },
      'features[0].where[0].value: must be a number for this comparison',
    ],
    ['a bad duration', { version: 1, features: [{ ...count, ttl: '3 weeks' }] }, 'features[0].ttl: must be a duration'],
    [
      'a zero duration',
      { version: 1, features: [{ ...count, staleAfter: '0h' }] },
      'features[0].staleAfter: must be longer than zero',
    ],
  ])('rejects %s, naming where', (_name, doc, expected) => {
    expect(rejection(doc)).toContain(expected);
  });
});
