import type { Redis } from 'ioredis';

import { defineScript } from '@dmp/redis';

import { capsFields, capsKeys, type Group } from './keys';

export type { Group } from './keys';

/**
 * Campaign reports, per campaign and local day, in the caps Redis under the campaign's hash tag (keys.ts):
 * a day's hash of `decisions:<creative>`, `holdout`, `refused:<kind>`, `impressions:<creative>`,
 * `clicks:<creative>`, `conversions:<creative>`; HyperLogLogs of the subscribers exposed (decided: treated with an
 * offer, or held out) and of those who converted afterwards; and the watermarks of the events counted.
 *
 * Decisions are counted by the caps scripts themselves (counters.ts), atomically with what they consume, so a
 * retried decision counts once. Impressions, clicks and conversions come from events (`impression`, `click`,
 * `conversion` with `campaign_id`). Lift compares the conversion rate of treated subscribers with that of the
 * holdout: any `conversion` event of an exposed subscriber counts for every campaign they were exposed to (the
 * `x:<campaign>` fields of the subscriber's hash), since holdout subscribers got no offer to name.
 */
export const REPORT_TTL_S = 400 * 86_400;

/** What a decision adds to its campaign's report. */
export interface DecisionReport {
  /** The campaign's local date. */
  date: string;
  /** `decisions:<creative>` for an offer, `holdout` for a holdout decision. */
  field: string;
  /** Known subscribers only: their group is recorded for lift. */
  subjectId?: string;
  group: Group;
}

/**
 * An impression, click or conversion event in one campaign's report, once: the trigger consumer reads each
 * partition of EVENTS in order, so an event at or below the campaign's watermark for its partition was counted.
 * An event counts in several campaigns (a conversion, for every campaign that exposed its subscriber): each has
 * its own watermark, so a redelivery after a crash between two of them counts only what was left. KEYS the
 * campaign's watermarks, its day hash, its converted HLL of the subscriber's group; ARGV partition, stream
 * sequence, report ttl, day field ('' none), subject ('' unless a conversion of an exposed subscriber).
 */
const EVENT_LUA = `
if tonumber(ARGV[2]) <= (tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[4] ~= '' then
  redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
if ARGV[5] ~= '' then redis.call('PFADD', KEYS[3], ARGV[5]) end
return 1
`;

type EventCommand = { dmpCampaignEvent(keyCount: number, ...args: (string | number)[]): Promise<number> };

export interface CampaignEvent {
  tenantId: string;
  type: string;
  subject: string;
  campaignId?: string;
  creativeId?: string;
  /** The local date the event counts on, in the time zone of the campaign it names (UTC without one). */
  date: string;
  /** Where the event is in EVENTS: its partition and stream sequence. */
  partition: number;
  seq: number;
}

export interface CampaignStats {
  campaignId: string;
  /** Per creative, summed over the days asked. */
  creatives: Record<string, { decisions: number; impressions: number; clicks: number; conversions: number }>;
  holdoutDecisions: number;
  refused: Record<string, number>;
  /** Distinct subscribers exposed and converted, per group (HyperLogLog: within about 1 %). */
  treated: { exposed: number; converted: number };
  holdout: { exposed: number; converted: number };
  /** Relative lift of the treated conversion rate over the holdout's; undefined without holdout conversions. */
  lift?: number;
}

const FIELDS: Record<string, 'impressions' | 'clicks' | 'conversions'> = {
  impression: 'impressions',
  click: 'clicks',
  conversion: 'conversions',
};

export class CampaignReports {
  private readonly redis: Redis & EventCommand;

  constructor(redis: Redis) {
    defineScript(redis, 'dmpCampaignEvent', EVENT_LUA);
    this.redis = redis as Redis & EventCommand;
  }

  /** Whether events of this type count in reports. */
  static counts(type: string): boolean {
    return type in FIELDS;
  }

  /** Counts an impression, click or conversion once per campaign it counts for, however often it is delivered. */
  async record(event: CampaignEvent): Promise<void> {
    const { tenantId: t, campaignId } = event;
    // The campaigns that exposed the subscriber, and their group: a conversion counts for each.
    const exposures = new Map<string, string>();
    if (event.type === 'conversion') {
      const prefix = capsFields.exposure('');
      const subscriber = await this.redis.hgetall(capsKeys.subscriber(t, event.subject));
      for (const [field, group] of Object.entries(subscriber))
        if (field.startsWith(prefix)) exposures.set(field.slice(prefix.length), group);
    }
    const campaigns = new Set([...(campaignId ? [campaignId] : []), ...exposures.keys()]);
    for (const campaign of campaigns) {
      const group = exposures.get(campaign);
      await this.redis.dmpCampaignEvent(
        3,
        capsKeys.reportWatermarks(t, campaign),
        capsKeys.reportDay(t, campaign, event.date),
        capsKeys.converted(t, campaign, group === 'holdout' ? 'holdout' : 'treated'),
        String(event.partition),
        String(event.seq),
        REPORT_TTL_S,
        campaign === campaignId ? `${FIELDS[event.type]}:${event.creativeId ?? ''}` : '',
        group === undefined ? '' : event.subject
      );
    }
  }

  async stats(tenantId: string, campaignId: string, dates: readonly string[]): Promise<CampaignStats> {
    const [days, treatedExposed, treatedConverted, holdoutExposed, holdoutConverted] = await Promise.all([
      Promise.all(dates.map((d) => this.redis.hgetall(capsKeys.reportDay(tenantId, campaignId, d)))),
      this.redis.pfcount(capsKeys.exposed(tenantId, campaignId, 'treated')),
      this.redis.pfcount(capsKeys.converted(tenantId, campaignId, 'treated')),
      this.redis.pfcount(capsKeys.exposed(tenantId, campaignId, 'holdout')),
      this.redis.pfcount(capsKeys.converted(tenantId, campaignId, 'holdout')),
    ]);
    const stats: CampaignStats = {
      campaignId,
      creatives: {},
      holdoutDecisions: 0,
      refused: {},
      treated: { exposed: treatedExposed, converted: treatedConverted },
      holdout: { exposed: holdoutExposed, converted: holdoutConverted },
    };
    for (const day of days) {
      for (const [field, value] of Object.entries(day)) {
        const n = Number(value);
        if (field === 'holdout') stats.holdoutDecisions += n;
        else if (field.startsWith('refused:')) stats.refused[field.slice(8)] = (stats.refused[field.slice(8)] ?? 0) + n;
        else {
          const [measure, creative = ''] = field.split(':') as [string, string?];
          const row = (stats.creatives[creative] ??= { decisions: 0, impressions: 0, clicks: 0, conversions: 0 });
          if (measure in row) row[measure as keyof typeof row] += n;
        }
      }
    }
    const treatedRate = treatedExposed ? treatedConverted / treatedExposed : 0;
    const holdoutRate = holdoutExposed ? holdoutConverted / holdoutExposed : 0;
    if (holdoutRate > 0) stats.lift = treatedRate / holdoutRate - 1;
    return stats;
  }
}
