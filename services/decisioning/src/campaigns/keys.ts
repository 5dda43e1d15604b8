import { subjectToken } from '@dmp/messaging';

/**
 * Where decisioning keeps its state in the caps Redis (CAPS_REDIS_URL). Every key is under the hash tag of one
 * subscriber or one campaign, never of the tenant, so that a tenant of 50 million subscribers spreads over every
 * shard of a Redis Cluster, and each script touches the keys of one tag:
 *
 * | key                                  | type   | holds                                                     |
 * |--------------------------------------|--------|-----------------------------------------------------------|
 * | dc:<t>:{<t>:<token>}                 | hash   | one subscriber (token: subjectToken): see the fields below |
 * | dc:{<t>:c:<campaign>}:spend          | hash   | `total`, `day:<local date>`: spend in the budget's unit    |
 * | dc:{<t>:c:<campaign>}:d:<hour>       | hash   | decision → the campaign's side of its outcome, an hour's   |
 * |                                      |        | decisions per hash, each kept two hours                    |
 * | rp:{<t>:c:<campaign>}:day:<date>     | hash   | the campaign's report of a local day (reports.ts)          |
 * | rp:{<t>:c:<campaign>}:exposed:<group>  | HLL  | subscribers decided for it: treated or holdout             |
 * | rp:{<t>:c:<campaign>}:converted:<group> | HLL | of those, the ones who converted afterwards                |
 * | rp:{<t>:c:<campaign>}:w              | hash   | EVENTS partition → stream sequence of its last event counted |
 *
 * A subscriber's fields: `c:<campaign>:<per>:<period>` (a campaign's cap) and `p:<channel>:<per>:<period>` (the
 * contact policy) as "<count>:<expires unix s>"; `x:<campaign>` → group (treated or holdout), for lift; and
 * `d:<decision>:<campaign>` → "<outcome>:<exposure new>:<expires>", the subscriber's side of a decision. Fields
 * past their expiry are dropped by the next write; the key lives as long as its longest field. Erasing a
 * subscriber deletes this one key (erasures.ts, from the token ERASURES names).
 */
export const capsKeys = {
  subscriber: (t: string, subject: string) => capsKeys.subscriberOfToken(t, subjectToken(t, subject)),
  subscriberOfToken: (t: string, token: string) => `dc:${t}:{${t}:${token}}`,
  spend: (t: string, campaign: string) => `dc:{${t}:c:${campaign}}:spend`,
  decisions: (t: string, campaign: string, hour: number) => `dc:{${t}:c:${campaign}}:d:${hour}`,
  reportDay: (t: string, campaign: string, date: string) => `rp:{${t}:c:${campaign}}:day:${date}`,
  exposed: (t: string, campaign: string, group: Group) => `rp:{${t}:c:${campaign}}:exposed:${group}`,
  converted: (t: string, campaign: string, group: Group) => `rp:{${t}:c:${campaign}}:converted:${group}`,
  reportWatermarks: (t: string, campaign: string) => `rp:{${t}:c:${campaign}}:w`,
};

/** Fields of a subscriber's hash, and of a campaign's spend. */
export const capsFields = {
  cap: (campaign: string, per: string, period: string) => `c:${campaign}:${per}:${period}`,
  contact: (channel: string, per: string, period: string) => `p:${channel}:${per}:${period}`,
  exposure: (campaign: string) => `x:${campaign}`,
  decided: (decisionId: string, campaign: string) => `d:${decisionId}:${campaign}`,
  spendTotal: 'total',
  spendDay: (date: string) => `day:${date}`,
};

/** A subscriber decided for a campaign is treated (an offer) or held out (none, to measure lift). */
export type Group = 'treated' | 'holdout';
