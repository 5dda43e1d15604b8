import type { Redis } from 'ioredis';

/**
 * Campaign reports, per campaign and local day, kept in Redis next to the counters:
 *
 * | key                                   | type | holds                                                          |
 * |---------------------------------------|------|----------------------------------------------------------------|
 * | rp:{t}:<campaign>:day:<date>          | hash | decisions:<creative>, holdout, refused:<kind>, impressions:<creative>, clicks:<creative>, conversions:<creative> |
 * | rp:{t}:<campaign>:exposed:<group>     | HLL  | subscribers decided for the campaign: treated (an offer) or holdout |
 * | rp:{t}:<campaign>:converted:<group>   | HLL  | of those, the ones who converted afterwards                    |
 * | rp:{t}:exp:<subject>                  | hash | campaign → the subscriber's group                              |
 * | rp:{t}:w                              | hash | EVENTS partition → stream sequence of the last event counted   |
 *
 * Decisions are counted by the caps script itself (counters.ts), atomically with what they consume, so a
 * retried decision counts once. Impressions, clicks and conversions come from events (`impression`, `click`,
 * `conversion` with `campaign_id`). Lift compares the conversion rate of treated subscribers with that of the
 * holdout: any `conversion` event of an exposed subscriber counts for every campaign they were exposed to,
 * since holdout subscribers got no offer to name.
 */
export const REPORT_TTL_S = 400 * 86_400;

export type Group = 'treated' | 'holdout';

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

export const reportKeys = {
  day: (t: string, campaign: string, date: string) => `rp:{${t}}:${campaign}:day:${date}`,
  exposed: (t: string, campaign: string, group: Group) => `rp:{${t}}:${campaign}:exposed:${group}`,
  converted: (t: string, campaign: string, group: Group) => `rp:{${t}}:${campaign}:converted:${group}`,
  exposure: (t: string, subject: string) => `rp:{${t}}:exp:${subject}`,
  watermarks: (t: string) => `rp:{${t}}:w`,
};

/**
 * An impression, click or conversion event, once: the trigger consumer reads each partition of EVENTS in order,
 * so an event at or below its partition's watermark was counted. KEYS watermarks, report day hash (or the
 * watermarks again when the event names no campaign), exposure hash; ARGV partition, stream sequence, report
 * ttl, field ('' none), tenant prefix for the converted HLLs ('' unless a conversion), subject.
 */
const EVENT_LUA = `
if tonumber(ARGV[2]) <= (tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[4] ~= '' then
  redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
if ARGV[5] ~= '' then
  local exposure = redis.call('HGETALL', KEYS[3])
  for i = 1, #exposure, 2 do
    redis.call('PFADD', ARGV[5] .. exposure[i] .. ':converted:' .. exposure[i + 1], ARGV[6])
  end
end
return 1
`;

type EventCommand = { dmpCampaignEvent(keyCount: number, ...args: (string | number)[]): Promise<number> };

export interface CampaignEvent {
  tenantId: string;
  type: string;
  subject: string;
  campaignId?: string;
  creativeId?: string;
  /** The campaign's local date the event counts on. */
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
    redis.defineCommand('dmpCampaignEvent', { lua: EVENT_LUA });
    this.redis = redis as Redis & EventCommand;
  }

  /** Whether events of this type count in reports. */
  static counts(type: string): boolean {
    return type in FIELDS;
  }

  /** Counts an impression, click or conversion once, however often it is delivered. */
  async record(event: CampaignEvent): Promise<void> {
    const { tenantId: t, campaignId } = event;
    const field = campaignId ? `${FIELDS[event.type]}:${event.creativeId ?? ''}` : '';
    const conversion = event.type === 'conversion';
    await this.redis.dmpCampaignEvent(
      3,
      reportKeys.watermarks(t),
      campaignId ? reportKeys.day(t, campaignId, event.date) : reportKeys.watermarks(t),
      reportKeys.exposure(t, event.subject),
      String(event.partition),
      String(event.seq),
      REPORT_TTL_S,
      field,
      conversion ? `rp:{${t}}:` : '',
      event.subject
    );
  }

  async stats(tenantId: string, campaignId: string, dates: readonly string[]): Promise<CampaignStats> {
    const [days, treatedExposed, treatedConverted, holdoutExposed, holdoutConverted] = await Promise.all([
      Promise.all(dates.map((d) => this.redis.hgetall(reportKeys.day(tenantId, campaignId, d)))),
      this.redis.pfcount(reportKeys.exposed(tenantId, campaignId, 'treated')),
      this.redis.pfcount(reportKeys.converted(tenantId, campaignId, 'treated')),
      this.redis.pfcount(reportKeys.exposed(tenantId, campaignId, 'holdout')),
      this.redis.pfcount(reportKeys.converted(tenantId, campaignId, 'holdout')),
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
