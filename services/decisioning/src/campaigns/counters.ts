import type { Redis } from 'ioredis';

import type { Campaign, CapPeriod } from './campaign';
import type { ContactPolicy } from './contact-policy';
import { REPORT_TTL_S, reportKeys, type DecisionReport } from './reports';
import { localTime } from './schedule';

/**
 * Frequency caps and budgets, checked and consumed in one Lua script per decision: either every counter
 * of the winning campaign has room and all of them move, or none does and the script says which one was
 * full. Nothing is read, then written, from here, so 8 deciders racing for the last impression of a
 * subscriber's daily cap cannot all win it.
 *
 * The script is idempotent per decision and campaign: ioredis resends a command whose reply was lost on
 * reconnect, a caller retries a Decide with its decision id, a trigger event is decided again after a crash, and
 * a second run must not spend twice. Its outcome is kept for an hour under `…:decided:<decision id>:<campaign>`
 * (a decision tries the next campaign when one is full): every such retry comes within seconds or minutes, and a
 * mark per decision for a day was, at the target, 50 GiB.
 *
 * Keys share the tenant's hash tag (`{t}`), as the features do, so the script's keys are in one slot on
 * Redis Cluster. Caps and budgets belong on a Redis that never evicts (`noeviction`): an evicted counter
 * is a reset cap.
 *
 * | key                                          | holds                                         |
 * |----------------------------------------------|-----------------------------------------------|
 * | dc:{t}:cap:<campaign>:<per>:<period>:<subject> | offers of the campaign to the subject        |
 * | dc:{t}:contact:<channel>:<per>:<period>:<subject> | offers on the channel to the subject (policy) |
 * | dc:{t}:spend:<campaign>:total                | spend of the campaign (impressions or money)   |
 * | dc:{t}:spend:<campaign>:day:<local date>     | spend of the campaign's day (its time zone)    |
 * | dc:{t}:decided:<decision id>:<campaign>      | the outcome (0 or the index of the full one)   |
 *
 * The same script counts the decision in the campaign's report (reports.ts).
 */
const CONSUME_LUA = `
-- KEYS: decided, report, exposure (of the subject), exposed (HLL of the group), counters...
-- ARGV: decided ttl, report ttl, report field, subject ('' none), campaign, group, then per counter:
--       limit, ttl, amount, kind
local outcome = redis.call('GET', KEYS[1])
if outcome then return tonumber(outcome) end
local n = #KEYS - 4
for i = 1, n do
  local at = 7 + (i - 1) * 4
  local have = tonumber(redis.call('GET', KEYS[4 + i]) or '0')
  if have + tonumber(ARGV[at + 2]) > tonumber(ARGV[at]) then
    redis.call('SET', KEYS[1], i, 'EX', ARGV[1])
    redis.call('HINCRBY', KEYS[2], 'refused:' .. ARGV[at + 3], 1)
    redis.call('EXPIRE', KEYS[2], ARGV[2])
    return i
  end
end
for i = 1, n do
  local at = 7 + (i - 1) * 4
  redis.call('INCRBY', KEYS[4 + i], ARGV[at + 2])
  local ttl = tonumber(ARGV[at + 1])
  if ttl > 0 and redis.call('TTL', KEYS[4 + i]) < 0 then redis.call('EXPIRE', KEYS[4 + i], ttl) end
end
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
redis.call('EXPIRE', KEYS[2], ARGV[2])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
  redis.call('EXPIRE', KEYS[3], ARGV[2])
  redis.call('PFADD', KEYS[4], ARGV[4])
end
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1])
return 0
`;

const DAY_S = 86_400;
/** How long a decision's outcome per campaign is remembered (see CounterStore). */
const DECIDED_TTL_S = 3_600;
/** How long a period's counter outlives the period (a late reader still sees it). */
const PERIOD_TTL_S: Record<CapPeriod, number> = {
  hour: 2 * 3_600,
  day: 2 * DAY_S,
  week: 8 * DAY_S,
  month: 32 * DAY_S,
  campaign: 0,
};

export interface Counter {
  key: string;
  /** The most it may hold after this decision. */
  limit: number;
  amount: number;
  ttlSeconds: number;
  /** What refuses when it is full, for reasons and metrics. */
  kind: 'cap' | 'contact_policy' | 'budget_total' | 'budget_daily';
}

export const counterKeys = {
  cap: (t: string, campaign: string, per: CapPeriod, period: string, subject: string) =>
    `dc:{${t}}:cap:${campaign}:${per}:${period}:${subject}`,
  contact: (t: string, channel: string, per: CapPeriod, period: string, subject: string) =>
    `dc:{${t}}:contact:${channel}:${per}:${period}:${subject}`,
  spendTotal: (t: string, campaign: string) => `dc:{${t}}:spend:${campaign}:total`,
  spendDay: (t: string, campaign: string, date: string) => `dc:{${t}}:spend:${campaign}:day:${date}`,
  decided: (t: string, decisionId: string, campaign: string) => `dc:{${t}}:decided:${decisionId}:${campaign}`,
};

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
  if (subject !== undefined && contact && policy) {
    for (const cap of policy.channels[contact.channel] ?? []) {
      counters.push({
        key: counterKeys.contact(
          tenantId,
          contact.channel,
          cap.per,
          periodOf(cap.per, nowMs, policy.timeZone),
          subject
        ),
        limit: cap.max,
        amount: 1,
        ttlSeconds: PERIOD_TTL_S[cap.per],
        kind: 'contact_policy',
      });
    }
  }
  if (subject !== undefined) {
    for (const cap of campaign.caps) {
      counters.push({
        key: counterKeys.cap(tenantId, campaign.id, cap.per, periodOf(cap.per, nowMs, timeZone), subject),
        limit: cap.max,
        amount: 1,
        ttlSeconds: PERIOD_TTL_S[cap.per],
        kind: 'cap',
      });
    }
  }
  const budget = campaign.budget;
  if (budget) {
    if (budget.total !== undefined) {
      counters.push({
        key: counterKeys.spendTotal(tenantId, campaign.id),
        limit: budget.total,
        amount: budget.costPerOffer,
        ttlSeconds: 0,
        kind: 'budget_total',
      });
    }
    if (budget.daily !== undefined) {
      const local = localTime(nowMs, timeZone);
      const allowed =
        budget.pacing === 'even' ? Math.floor((budget.daily * (local.minute + 1)) / (24 * 60)) : budget.daily;
      counters.push({
        key: counterKeys.spendDay(tenantId, campaign.id, local.date),
        limit: allowed,
        amount: budget.costPerOffer,
        ttlSeconds: PERIOD_TTL_S.day,
        kind: 'budget_daily',
      });
    }
  }
  return counters;
}

type ConsumeCommand = {
  dmpConsumeCounters(keyCount: number, ...args: (string | number)[]): Promise<number>;
};

export class CounterStore {
  private readonly redis: Redis & ConsumeCommand;

  constructor(
    redis: Redis,
    private readonly decidedTtlSeconds = DECIDED_TTL_S
  ) {
    // EVALSHA, falling back to EVAL once if the server lost the script.
    redis.defineCommand('dmpConsumeCounters', { lua: CONSUME_LUA });
    this.redis = redis as Redis & ConsumeCommand;
  }

  /**
   * Consumes every counter, or none: undefined when all had room, else the counter that was full. The same
   * decision id always gets the same answer. The campaign's report counts the outcome in the same script
   * (`report.field` on success, `refused:<kind>` when full), and a known subject's group (treated or
   * holdout) is recorded for lift: see reports.ts.
   */
  async consume(
    tenantId: string,
    decisionId: string,
    campaignId: string,
    counters: readonly Counter[],
    report: DecisionReport
  ): Promise<Counter | undefined> {
    const subject = report.subjectId ?? '';
    const refused = await this.redis.dmpConsumeCounters(
      counters.length + 4,
      counterKeys.decided(tenantId, decisionId, campaignId),
      reportKeys.day(tenantId, campaignId, report.date),
      reportKeys.exposure(tenantId, subject),
      reportKeys.exposed(tenantId, campaignId, report.group),
      ...counters.map((c) => c.key),
      this.decidedTtlSeconds,
      REPORT_TTL_S,
      report.field,
      subject,
      campaignId,
      report.group,
      ...counters.flatMap((c) => [c.limit, c.ttlSeconds, c.amount, c.kind])
    );
    return refused === 0 ? undefined : counters[refused - 1];
  }

  /** The campaign's spend (its budget's unit), all time. */
  async spendTotal(tenantId: string, campaignId: string): Promise<number> {
    return Number((await this.redis.get(counterKeys.spendTotal(tenantId, campaignId))) ?? 0);
  }

  /** The first counter that would refuse one more offer, without consuming anything (for explanations). */
  async peek(counters: readonly Counter[]): Promise<Counter | undefined> {
    if (counters.length === 0) return undefined;
    const values = await this.redis.mget(...counters.map((c) => c.key));
    return counters.find((c, i) => Number(values[i] ?? 0) + c.amount > c.limit);
  }
}
