import type { Redis } from 'ioredis';

import { defineScript } from '@dmp/redis';

import type { Campaign, CapPeriod } from './campaign';
import type { ContactPolicy } from './contact-policy';
import { capsFields, capsKeys } from './keys';
import { REPORT_TTL_S, type DecisionReport } from './reports';
import { localTime } from './schedule';

/**
 * Frequency caps and budgets, checked and consumed by Lua scripts, so that 8 deciders racing for the last
 * impression of a subscriber's daily cap cannot all win it. A decision's state lives under two hash tags (keys.ts):
 * the subscriber's hash (caps, contact policy, exposure, its side of the decision) and the campaign's keys
 * (spend, report, its side of the decision), so that one big tenant spreads over every shard of a Redis Cluster.
 *
 * One decision for one campaign is up to three steps, each atomic and each idempotent by its own record of the
 * decision's outcome, so that a retry (ioredis resending after a reconnect, a caller retrying with its decision
 * id, a trigger event decided again after a crash) spends nothing twice and gets the same answer:
 * 1. the subscriber's caps and contact policy (SUBJECT_LUA): all have room and all move (and the exposure is
 *    recorded), or the full one is named;
 * 2. the campaign's budgets and its report (CAMPAIGN_LUA): the same, counting the decision, or the refusal of
 *    step 1, in the campaign's report (reports.ts);
 * 3. only when step 2 refused after step 1 consumed: step 1 is given back (RELEASE_LUA).
 * A decision abandoned between steps 1 and 2 (a caller that never retries) leaves the subscriber's counters
 * spent without an offer: the safe side of a cap. Outcomes are kept an hour at least: every retry comes within
 * minutes.
 */
const SUBJECT_LUA = `
-- KEYS[1]: the subscriber's hash. ARGV: now (unix s), decision field, decision ttl, key ttl, exposure field ('' none),
-- group, then per counter: field, limit, amount, lifetime (s). Returns the outcome: 0, or the full counter's index.
local h, now = KEYS[1], tonumber(ARGV[1])
local mark = redis.call('HGET', h, ARGV[2])
if mark then return tonumber(string.match(mark, '^(%d+)')) end
local all = redis.call('HGETALL', h)
for i = 1, #all, 2 do
  local expires = tonumber(string.match(all[i + 1], ':(%d+)$') or '')
  if expires and expires <= now then redis.call('HDEL', h, all[i]) end
end
local n = (#ARGV - 6) / 4
local have = {}
for i = 1, n do
  local at = 7 + (i - 1) * 4
  local v = redis.call('HGET', h, ARGV[at])
  have[i] = v and tonumber(string.match(v, '^(%d+)')) or 0
  if have[i] + tonumber(ARGV[at + 2]) > tonumber(ARGV[at + 1]) then
    redis.call('HSET', h, ARGV[2], i .. ':0:' .. (now + tonumber(ARGV[3])))
    if redis.call('TTL', h) < tonumber(ARGV[3]) then redis.call('EXPIRE', h, ARGV[3]) end
    return i
  end
end
local ttl = tonumber(ARGV[4])
for i = 1, n do
  local at = 7 + (i - 1) * 4
  local v = redis.call('HGET', h, ARGV[at])
  local expires = v and string.match(v, ':(%d+)$') or tostring(now + tonumber(ARGV[at + 3]))
  redis.call('HSET', h, ARGV[at], (have[i] + tonumber(ARGV[at + 2])) .. ':' .. expires)
  if tonumber(expires) - now > ttl then ttl = tonumber(expires) - now end
end
local new = 0
if ARGV[5] ~= '' then new = redis.call('HSETNX', h, ARGV[5], ARGV[6]) end
redis.call('HSET', h, ARGV[2], '0:' .. new .. ':' .. (now + tonumber(ARGV[3])))
if redis.call('TTL', h) < ttl then redis.call('EXPIRE', h, ttl) end
return 0
`;

const CAMPAIGN_LUA = `
-- KEYS: the campaign's decisions of this hour and of the last (decision id -> outcome), its spend, its report day,
-- its exposed HLL of the group. ARGV: decision id, decisions' ttl, report ttl, report field, subject ('' none),
-- refused by the subscriber's side (its kind, '' none), that refusal's index, oldest day field kept ('' no daily
-- budget), then per counter: field, limit, amount, kind.
local outcome = redis.call('HGET', KEYS[1], ARGV[1]) or redis.call('HGET', KEYS[2], ARGV[1])
if outcome then return tonumber(outcome) end
local function decided(value)
  redis.call('HSET', KEYS[1], ARGV[1], value)
  if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
  return value
end
if ARGV[6] ~= '' then
  redis.call('HINCRBY', KEYS[4], 'refused:' .. ARGV[6], 1)
  redis.call('EXPIRE', KEYS[4], ARGV[3])
  return decided(tonumber(ARGV[7]))
end
local n = (#ARGV - 8) / 4
for i = 1, n do
  local at = 9 + (i - 1) * 4
  local have = tonumber(redis.call('HGET', KEYS[3], ARGV[at]) or '0')
  if have + tonumber(ARGV[at + 2]) > tonumber(ARGV[at + 1]) then
    redis.call('HINCRBY', KEYS[4], 'refused:' .. ARGV[at + 3], 1)
    redis.call('EXPIRE', KEYS[4], ARGV[3])
    return decided(tonumber(ARGV[7]) + i)
  end
end
for i = 1, n do
  local at = 9 + (i - 1) * 4
  redis.call('HINCRBY', KEYS[3], ARGV[at], ARGV[at + 2])
end
if ARGV[8] ~= '' then
  for _, field in ipairs(redis.call('HKEYS', KEYS[3])) do
    if string.sub(field, 1, 4) == 'day:' and field < ARGV[8] then redis.call('HDEL', KEYS[3], field) end
  end
end
redis.call('HINCRBY', KEYS[4], ARGV[4], 1)
redis.call('EXPIRE', KEYS[4], ARGV[3])
if ARGV[5] ~= '' then redis.call('PFADD', KEYS[5], ARGV[5]) end
return decided(0)
`;

const RELEASE_LUA = `
-- KEYS[1]: the subscriber's hash. ARGV: decision field, the refusal's index, exposure field ('' none), then per
-- counter: field, amount. Gives back what SUBJECT_LUA consumed for the decision, once; 1 if it did.
local h = KEYS[1]
local mark = redis.call('HGET', h, ARGV[1])
if not mark or string.sub(mark, 1, 2) ~= '0:' then return 0 end
for i = 4, #ARGV, 2 do
  local v = redis.call('HGET', h, ARGV[i])
  if v then
    local count, expires = string.match(v, '^(%d+):(%d+)$')
    redis.call('HSET', h, ARGV[i], math.max(0, tonumber(count) - tonumber(ARGV[i + 1])) .. ':' .. expires)
  end
end
if string.sub(mark, 3, 4) == '1:' and ARGV[3] ~= '' then redis.call('HDEL', h, ARGV[3]) end
redis.call('HSET', h, ARGV[1], ARGV[2] .. ':0:' .. string.match(mark, ':(%d+)$'))
return 1
`;

const DAY_S = 86_400;
/** How long a decision's outcome per campaign is remembered (see CounterStore). */
const DECIDED_TTL_S = 3_600;
/**
 * How long a subscriber's counter lives after its first offer: its period and a margin, for late readers. A
 * campaign-long cap lives as long as reports do, renewed by every offer.
 */
const LIFETIME_S: Record<CapPeriod, number> = {
  hour: 2 * 3_600,
  day: 2 * DAY_S,
  week: 8 * DAY_S,
  month: 32 * DAY_S,
  campaign: REPORT_TTL_S,
};

export interface Counter {
  /** Where it counts: the subscriber's hash (caps, contact policy) or the campaign's spend (budgets). */
  scope: 'subject' | 'campaign';
  /** That hash (capsKeys), and the counter's field in it (capsFields). */
  key: string;
  field: string;
  /** The most it may hold after this decision. */
  limit: number;
  amount: number;
  /** A subscriber's counter: how long it lives after its first offer. */
  lifetimeSeconds: number;
  /** What refuses when it is full, for reasons and metrics. */
  kind: 'cap' | 'contact_policy' | 'budget_total' | 'budget_daily';
}

/** The period a cap counts in, in the campaign's time zone: "2026-11-26", "2026-11-26T14", "2026-W48", "2026-11". */
export function periodOf(per: CapPeriod, nowMs: number, timeZone: string): string {
  if (per === 'campaign') return 'all';
  const local = localTime(nowMs, timeZone);
  if (per === 'day') return local.date;
  if (per === 'hour') return `${local.date}T${String(Math.floor(local.minute / 60)).padStart(2, '0')}`;
  if (per === 'month') return local.date.slice(0, 7);
  return isoWeek(local.date);
}

/** ISO 8601 week of a calendar date: weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeek(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = (day.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(day.getTime() + (3 - weekday) * DAY_S * 1000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_S * 1000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * What one offer of `campaign` to `subject` (undefined: unknown subject, no caps apply) would consume. Even
 * pacing lets a day's spend reach only the share of the daily budget that the elapsed part of the local day
 * allows, minute by minute, so that a morning rush cannot spend the evening's budget.
 */
export function countersFor(
  tenantId: string,
  campaign: Campaign,
  subject: string | undefined,
  nowMs: number,
  contact?: { channel: string; policy: ContactPolicy | undefined }
): Counter[] {
  const counters: Counter[] = [];
  const { timeZone } = campaign.schedule;
  // The tenant's contact policy for the offer's channel: the subscriber's protection across all campaigns.
  const policy = contact?.policy;
  const subscriber = subject === undefined ? '' : capsKeys.subscriber(tenantId, subject);
  const spend = capsKeys.spend(tenantId, campaign.id);
  if (subject !== undefined && contact && policy) {
    for (const cap of policy.channels[contact.channel] ?? []) {
      counters.push({
        scope: 'subject',
        key: subscriber,
        field: capsFields.contact(contact.channel, cap.per, periodOf(cap.per, nowMs, policy.timeZone)),
        limit: cap.max,
        amount: 1,
        lifetimeSeconds: LIFETIME_S[cap.per],
        kind: 'contact_policy',
      });
    }
  }
  if (subject !== undefined) {
    for (const cap of campaign.caps) {
      counters.push({
        scope: 'subject',
        key: subscriber,
        field: capsFields.cap(campaign.id, cap.per, periodOf(cap.per, nowMs, timeZone)),
        limit: cap.max,
        amount: 1,
        lifetimeSeconds: LIFETIME_S[cap.per],
        kind: 'cap',
      });
    }
  }
  const budget = campaign.budget;
  if (budget) {
    if (budget.total !== undefined) {
      counters.push({
        scope: 'campaign',
        key: spend,
        field: capsFields.spendTotal,
        limit: budget.total,
        amount: budget.costPerOffer,
        lifetimeSeconds: 0,
        kind: 'budget_total',
      });
    }
    if (budget.daily !== undefined) {
      const local = localTime(nowMs, timeZone);
      const allowed =
        budget.pacing === 'even' ? Math.floor((budget.daily * (local.minute + 1)) / (24 * 60)) : budget.daily;
      counters.push({
        scope: 'campaign',
        key: spend,
        field: capsFields.spendDay(local.date),
        limit: allowed,
        amount: budget.costPerOffer,
        lifetimeSeconds: 0,
        kind: 'budget_daily',
      });
    }
  }
  return counters;
}

type CapsCommands = {
  dmpSubjectCounters(keyCount: number, ...args: (string | number)[]): Promise<number>;
  dmpCampaignCounters(keyCount: number, ...args: (string | number)[]): Promise<number>;
  dmpReleaseCounters(keyCount: number, ...args: (string | number)[]): Promise<number>;
};

export class CounterStore {
  private readonly redis: Redis & CapsCommands;

  constructor(
    redis: Redis,
    private readonly decidedTtlSeconds = DECIDED_TTL_S
  ) {
    // EVALSHA, falling back to EVAL once if the server lost the script.
    defineScript(redis, 'dmpSubjectCounters', SUBJECT_LUA);
    defineScript(redis, 'dmpCampaignCounters', CAMPAIGN_LUA);
    defineScript(redis, 'dmpReleaseCounters', RELEASE_LUA);
    this.redis = redis as Redis & CapsCommands;
  }

  /**
   * Consumes every counter, or none: undefined when all had room, else the counter that was full. The same
   * decision id always gets the same answer. The campaign's report counts the outcome (`report.field` on
   * success, `refused:<kind>` when full), and a measured subscriber's group (treated or holdout) is recorded for
   * lift: see reports.ts.
   */
  async consume(
    tenantId: string,
    decisionId: string,
    campaignId: string,
    counters: readonly Counter[],
    report: DecisionReport,
    nowMs = Date.now()
  ): Promise<Counter | undefined> {
    const ofSubject = counters.filter((c) => c.scope === 'subject');
    const ofCampaign = counters.filter((c) => c.scope === 'campaign');
    const ordered = [...ofSubject, ...ofCampaign];
    // Caps count for a known subscriber; the exposure, for a measured one (the same subscriber when both).
    const subscriber =
      ofSubject[0]?.key ??
      (report.subjectId !== undefined ? capsKeys.subscriber(tenantId, report.subjectId) : undefined);
    const decidedField = capsFields.decided(decisionId, campaignId);
    const exposure = report.subjectId !== undefined ? capsFields.exposure(campaignId) : '';

    const bySubject =
      subscriber === undefined
        ? 0
        : await this.redis.dmpSubjectCounters(
            1,
            subscriber,
            Math.floor(nowMs / 1000),
            decidedField,
            this.decidedTtlSeconds,
            exposure ? REPORT_TTL_S : this.decidedTtlSeconds,
            exposure,
            report.group,
            ...ofSubject.flatMap((c) => [c.field, c.limit, c.amount, c.lifetimeSeconds])
          );
    const daily = ofCampaign.find((c) => c.kind === 'budget_daily');
    const hour = Math.floor(nowMs / (this.decidedTtlSeconds * 1000));
    const byCampaign = await this.redis.dmpCampaignCounters(
      5,
      capsKeys.decisions(tenantId, campaignId, hour),
      capsKeys.decisions(tenantId, campaignId, hour - 1),
      capsKeys.spend(tenantId, campaignId),
      capsKeys.reportDay(tenantId, campaignId, report.date),
      capsKeys.exposed(tenantId, campaignId, report.group),
      decisionId,
      // A decision's outcome is found for at least an hour: in this period's hash or the last one's.
      2 * this.decidedTtlSeconds,
      REPORT_TTL_S,
      report.field,
      report.subjectId ?? '',
      bySubject > 0 ? ordered[bySubject - 1]!.kind : '',
      bySubject > 0 ? bySubject : ofSubject.length,
      // A daily budget's days before yesterday are dropped (yesterday's stays for late readers).
      daily ? capsFields.spendDay(previousDate(report.date)) : '',
      ...ofCampaign.flatMap((c) => [c.field, c.limit, c.amount, c.kind])
    );
    if (bySubject === 0 && byCampaign > 0 && subscriber !== undefined) {
      await this.redis.dmpReleaseCounters(
        1,
        subscriber,
        decidedField,
        byCampaign,
        exposure,
        ...ofSubject.flatMap((c) => [c.field, c.amount])
      );
    }
    return byCampaign === 0 ? undefined : ordered[byCampaign - 1];
  }

  /** The campaign's spend (its budget's unit), all time. */
  async spendTotal(tenantId: string, campaignId: string): Promise<number> {
    return Number((await this.redis.hget(capsKeys.spend(tenantId, campaignId), capsFields.spendTotal)) ?? 0);
  }

  /**
   * The first counter that would refuse one more offer, without consuming anything (for explanations). A
   * subscriber's counter past its expiry counts as empty.
   */
  async peek(counters: readonly Counter[], nowMs = Date.now()): Promise<Counter | undefined> {
    const values = await Promise.all(counters.map((c) => this.redis.hget(c.key, c.field)));
    const count = (c: Counter, value: string | null): number => {
      if (c.scope === 'campaign') return Number(value ?? 0);
      const [held = '0', expires = '0'] = (value ?? '').split(':');
      return Number(expires) * 1000 > nowMs ? Number(held) : 0;
    };
    return counters.find((c, i) => count(c, values[i] ?? null) + c.amount > c.limit);
  }
}

/** The calendar date before an ISO date ("2026-03-01" → "2026-02-28"). */
export function previousDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - DAY_S * 1000).toISOString().slice(0, 10);
}
