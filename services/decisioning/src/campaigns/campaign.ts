import { InvalidArgumentError } from '@dmp/runtime';

import { isTimeZone, parseClock, parseDayparts, type Schedule } from './schedule';
import { compileCondition, type CelCondition } from '@dmp/features';

/**
 * A campaign as stored (NATS KV `dmp_campaigns`, key `<tenant>.<campaign id>`) and as decisioning uses it:
 *
 * ```json
 * { "id": "roaming-pack", "status": "active", "priority": 1, "value": 12.5,
 *   "schedule": { "start": "2026-11-01T00:00:00Z", "timeZone": "Europe/Moscow",
 *                 "dayparts": [{ "days": ["mon", "tue"], "from": "09:00", "to": "21:00" }] },
 *   "placements": ["app-banner"], "channels": ["push"],
 *   "targeting": "profile[\"user.views_7d\"] > 3.0 && context.channel == \"app\"",
 *   "caps": [{ "max": 3, "per": "day" }],
 *   "budget": { "unit": "impressions", "total": 100000, "daily": 5000, "pacing": "even" },
 *   "holdout": 0.1, "lever": 1.0, "propensityModel": "offer-propensity",
 *   "creatives": [{ "id": "banner-a" }, { "id": "banner-b" }] }
 * ```
 *
 * Validated field by field when written; errors name the field. `version` is the store's, not the author's.
 */
export type CampaignStatus = 'draft' | 'active' | 'paused' | 'archived';
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['draft', 'active', 'paused', 'archived'];
export type CapPeriod = 'hour' | 'day' | 'week' | 'month' | 'campaign';
export const CAP_PERIODS: readonly CapPeriod[] = ['hour', 'day', 'week', 'month', 'campaign'];

export interface FrequencyCap {
  max: number;
  per: CapPeriod;
}

export interface Budget {
  /** Impressions count 1 per offer; money counts `costPerOffer` minor units (e.g. kopecks) per offer. */
  unit: 'impressions' | 'money';
  total?: number;
  daily?: number;
  costPerOffer: number;
  /** even: the daily budget spread over the day; asap: spent as fast as offers go out. */
  pacing: 'even' | 'asap';
}

/** What makes a trigger campaign fire: an event of a type, a condition on it, when to send. */
export interface Trigger {
  event: string;
  condition?: CelCondition;
  delaySeconds: number;
  /** Not sent between these minutes of the subscriber's local day (their `time_zone`, else the campaign's). */
  quietHours?: { fromMinute: number; toMinute: number };
}

export interface Creative {
  id: string;
  weight: number;
}

export interface Campaign {
  id: string;
  version: number;
  status: CampaignStatus;
  /** Higher tiers win outright; within a tier, propensity × value × lever decides. */
  priority: number;
  value: number;
  lever: number;
  schedule: Schedule;
  /** Empty: any placement (channel). */
  placements: readonly string[];
  channels: readonly string[];
  targeting?: CelCondition;
  caps: readonly FrequencyCap[];
  budget?: Budget;
  /** Share of subjects (0–0.5) who never get this campaign, for measuring its lift. */
  holdout: number;
  propensityModel?: string;
  creatives: readonly Creative[];
  /** Present: a trigger campaign, decided when its event arrives (never by Decide). */
  trigger?: Trigger;
  /** The document as written (with `version`), for reads and audits. */
  document: Record<string, unknown>;
}

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const FIELDS = [
  'id',
  'version',
  'status',
  'priority',
  'value',
  'lever',
  'schedule',
  'placements',
  'channels',
  'targeting',
  'caps',
  'budget',
  'holdout',
  'propensityModel',
  'creatives',
  'trigger',
  'description',
];
const EVENT_TYPE = /^[a-z][a-z0-9_]{0,63}$/;

/** Checks an untrusted campaign document; InvalidArgumentError names the bad field (prefixed by `at`). */
export function parseCampaign(raw: unknown, at = 'campaign'): Campaign {
  const doc = object(raw, at);
  for (const key of Object.keys(doc)) {
    if (!FIELDS.includes(key))
      throw new InvalidArgumentError(`${at}.${key}`, `is not a campaign field (${FIELDS.join(', ')})`);
  }
  const id = doc['id'];
  if (typeof id !== 'string' || !ID.test(id)) throw new InvalidArgumentError(`${at}.id`, `must match ${ID.source}`);
  const status = doc['status'] ?? 'draft';
  if (!CAMPAIGN_STATUSES.includes(status as CampaignStatus)) {
    throw new InvalidArgumentError(`${at}.status`, `must be one of ${CAMPAIGN_STATUSES.join(', ')}`);
  }
  const version = doc['version'] ?? 0;
  if (!Number.isInteger(version) || (version as number) < 0)
    throw new InvalidArgumentError(`${at}.version`, 'must be a whole number');
  const targeting = doc['targeting'];
  if (targeting !== undefined && typeof targeting !== 'string')
    throw new InvalidArgumentError(`${at}.targeting`, 'must be a CEL expression (a string)');
  const campaign: Campaign = {
    id,
    version: version as number,
    status: status as CampaignStatus,
    priority: integer(doc['priority'] ?? 0, `${at}.priority`, 0, 100),
    value: number(doc['value'] ?? 1, `${at}.value`, 0, 1e9),
    lever: number(doc['lever'] ?? 1, `${at}.lever`, 0, 1000),
    schedule: schedule(doc['schedule'] ?? {}, `${at}.schedule`),
    placements: names(doc['placements'] ?? [], `${at}.placements`),
    channels: names(doc['channels'] ?? [], `${at}.channels`),
    caps: caps(doc['caps'] ?? [], `${at}.caps`),
    holdout: number(doc['holdout'] ?? 0, `${at}.holdout`, 0, 0.5),
    creatives: creatives(doc['creatives'] ?? [{ id: 'default' }], `${at}.creatives`),
    document: doc,
  };
  if (targeting) campaign.targeting = compileCondition(`${at}.targeting`, targeting);
  if (doc['budget'] !== undefined) campaign.budget = budget(doc['budget'], `${at}.budget`);
  if (doc['trigger'] !== undefined) {
    campaign.trigger = trigger(doc['trigger'], `${at}.trigger`);
    if (campaign.channels.length === 0)
      throw new InvalidArgumentError(`${at}.channels`, 'a trigger campaign names the channel its offers go out on');
  }
  const model = doc['propensityModel'];
  if (model !== undefined) {
    if (typeof model !== 'string' || !NAME.test(model))
      throw new InvalidArgumentError(`${at}.propensityModel`, `must be a model name matching ${NAME.source}`);
    campaign.propensityModel = model;
  }
  return campaign;
}

function schedule(raw: unknown, at: string): Schedule {
  const doc = object(raw, at);
  const timeZone = doc['timeZone'] ?? 'UTC';
  if (typeof timeZone !== 'string' || !isTimeZone(timeZone))
    throw new InvalidArgumentError(`${at}.timeZone`, 'must be an IANA time zone, e.g. Europe/Moscow');
  const result: Schedule = { timeZone, dayparts: parseDayparts(`${at}.dayparts`, doc['dayparts']) };
  const start = time(doc['start'], `${at}.start`);
  const end = time(doc['end'], `${at}.end`);
  if (start !== undefined) result.startMs = start;
  if (end !== undefined) result.endMs = end;
  if (start !== undefined && end !== undefined && end <= start)
    throw new InvalidArgumentError(`${at}.end`, 'must be after start');
  return result;
}

function trigger(raw: unknown, at: string): Trigger {
  const t = object(raw, at);
  for (const key of Object.keys(t)) {
    if (!['event', 'condition', 'delaySeconds', 'quietHours'].includes(key))
      throw new InvalidArgumentError(
        `${at}.${key}`,
        'is not a trigger field (event, condition, delaySeconds, quietHours)'
      );
  }
  const event = t['event'];
  if (typeof event !== 'string' || !EVENT_TYPE.test(event))
    throw new InvalidArgumentError(`${at}.event`, `must be an event type matching ${EVENT_TYPE.source}`);
  const result: Trigger = { event, delaySeconds: integer(t['delaySeconds'] ?? 0, `${at}.delaySeconds`, 0, 7 * 86_400) };
  const condition = t['condition'];
  if (condition !== undefined) {
    if (typeof condition !== 'string')
      throw new InvalidArgumentError(`${at}.condition`, 'must be a CEL expression (a string)');
    result.condition = compileCondition(`${at}.condition`, condition);
  }
  if (t['quietHours'] !== undefined) {
    const q = object(t['quietHours'], `${at}.quietHours`);
    const fromMinute = parseClock(`${at}.quietHours.from`, q['from']);
    const toMinute = parseClock(`${at}.quietHours.to`, q['to']);
    if (fromMinute === toMinute) throw new InvalidArgumentError(`${at}.quietHours`, 'from and to must differ');
    result.quietHours = { fromMinute, toMinute };
  }
  return result;
}

function caps(raw: unknown, at: string): FrequencyCap[] {
  if (!Array.isArray(raw) || raw.length > 5) throw new InvalidArgumentError(at, 'must be a list of at most 5 caps');
  return raw.map((cap: unknown, i) => {
    const c = object(cap, `${at}[${i}]`);
    const per = c['per'];
    if (!CAP_PERIODS.includes(per as CapPeriod))
      throw new InvalidArgumentError(`${at}[${i}].per`, `must be one of ${CAP_PERIODS.join(', ')}`);
    return { max: integer(c['max'], `${at}[${i}].max`, 1, 1_000_000), per: per as CapPeriod };
  });
}

function budget(raw: unknown, at: string): Budget {
  const b = object(raw, at);
  const unit = b['unit'] ?? 'impressions';
  if (unit !== 'impressions' && unit !== 'money')
    throw new InvalidArgumentError(`${at}.unit`, 'must be impressions or money');
  const pacing = b['pacing'] ?? 'asap';
  if (pacing !== 'even' && pacing !== 'asap') throw new InvalidArgumentError(`${at}.pacing`, 'must be even or asap');
  const result: Budget = {
    unit,
    pacing,
    costPerOffer: unit === 'money' ? integer(b['costPerOffer'], `${at}.costPerOffer`, 1, 1e12) : 1,
  };
  if (b['total'] !== undefined) result.total = integer(b['total'], `${at}.total`, 1, 1e15);
  if (b['daily'] !== undefined) result.daily = integer(b['daily'], `${at}.daily`, 1, 1e15);
  if (result.total === undefined && result.daily === undefined)
    throw new InvalidArgumentError(at, 'needs a total or a daily amount');
  if (pacing === 'even' && result.daily === undefined)
    throw new InvalidArgumentError(`${at}.daily`, 'is required for even pacing (it is what is spread over the day)');
  return result;
}

function creatives(raw: unknown, at: string): Creative[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 20)
    throw new InvalidArgumentError(at, 'must be a list of 1 to 20 creatives');
  const seen = new Set<string>();
  return raw.map((creative: unknown, i) => {
    const c = object(creative, `${at}[${i}]`);
    const id = c['id'];
    if (typeof id !== 'string' || !ID.test(id) || seen.has(id))
      throw new InvalidArgumentError(`${at}[${i}].id`, `must be a unique id matching ${ID.source}`);
    seen.add(id);
    return { id, weight: number(c['weight'] ?? 1, `${at}[${i}].weight`, 0.001, 1000) };
  });
}

function names(raw: unknown, at: string): string[] {
  if (!Array.isArray(raw) || raw.length > 100)
    throw new InvalidArgumentError(at, 'must be a list of at most 100 names');
  raw.forEach((n, i) => {
    if (typeof n !== 'string' || !NAME.test(n))
      throw new InvalidArgumentError(`${at}[${i}]`, `must match ${NAME.source}`);
  });
  return raw as string[];
}

function time(raw: unknown, at: string): number | undefined {
  if (raw === undefined) return undefined;
  const ms = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) throw new InvalidArgumentError(at, 'must be an ISO 8601 time, e.g. 2026-11-01T00:00:00Z');
  return ms;
}

function integer(raw: unknown, at: string, min: number, max: number): number {
  if (!Number.isInteger(raw) || (raw as number) < min || (raw as number) > max)
    throw new InvalidArgumentError(at, `must be a whole number from ${min} to ${max}`);
  return raw as number;
}

function number(raw: unknown, at: string, min: number, max: number): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < min || raw > max)
    throw new InvalidArgumentError(at, `must be a number from ${min} to ${max}`);
  return raw;
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidArgumentError(field, 'must be an object');
  return value as Record<string, unknown>;
}
